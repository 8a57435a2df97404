// Compile-time checks of the verb-limited client: each `@ts-expect-error` must be an error, and every
// other line must compile. Checked by test/types/verbs.test.ts (tsc) and by the repo's typecheck.
import type { KubeClient, ResourceList, Status, WatchEvent, WatchObjectEvent, WithName } from "kubetyped/runtime";
import { clusterroles, configmaps, deployments, jobs, pods, tokenreviews, type ClusterRole, type Job, type Scale } from "./fixtures.js";

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_check?: T): void {}

export async function verbLimits(kube: KubeClient): Promise<void> {
  const jobClient = kube.resource(jobs);
  const job = await jobClient.get("pi", { namespace: "batch" });
  expectType<Equal<typeof job, WithName<Job>>>();
  const list = await jobClient.list({ allNamespaces: true, labelSelector: "app=x" });
  expectType<Equal<typeof list, ResourceList<WithName<Job>>>>();
  for await (const item of jobClient.listAll({ limit: 10 })) expectType<Equal<typeof item, WithName<Job>>>();
  // The resuming watch throws ERROR events, so its events are never ERROR: no narrowing needed.
  for await (const event of jobClient.watch({ signal: AbortSignal.timeout(10) })) {
    expectType<Equal<typeof event, WatchObjectEvent<WithName<Job>>>>();
    expectType<Equal<typeof event.object, WithName<Job>>>();
  }
  // A plain watch yields the stream as it is, ERROR events included; a resume flag known only at run time, either.
  for await (const event of jobClient.watch({ resume: false })) {
    if (event.type === "ERROR") expectType<Equal<typeof event.object, Status>>();
    else expectType<Equal<typeof event.object, WithName<Job>>>();
  }
  const resume: boolean = Math.random() > 0.5;
  for await (const event of jobClient.watch({ resume })) expectType<Equal<typeof event, WatchEvent<WithName<Job>>>>();
  for await (const event of kube.metadata(jobs).watch()) expectType<Equal<typeof event.type, "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK">>();
  const _eventType: WatchEvent<Job>["type"] = "BOOKMARK";
  await jobClient.create({ metadata: { name: "pi" }, spec: { template: { spec: { containers: [{ name: "c" }] } } } });
  await jobClient.patch("pi", { spec: { suspend: true } });
  await jobClient.patch("pi", [{ op: "replace", path: "/spec/suspend", value: true }], { type: "json" });
  await jobClient.apply({ metadata: { name: "pi" }, spec: { suspend: true } }, { fieldManager: "me", force: true });
  const status = await jobClient.status.get("pi");
  expectType<Equal<typeof status, WithName<Job>>>();
  await jobClient.status.update(job);
  await jobClient.status.patch("pi", { status: { active: 1 } });
  // `old` (the object before the change, for the before-send check) is the client's object type, on update and the status writes.
  await jobClient.update(job, { old: job });
  await jobClient.status.update(job, { old: job, dryRun: "All" });
  await jobClient.status.patch("pi", { status: { active: 1 } }, { old: job });
  const unknownOld: Job | undefined = Math.random() > 0.5 ? job : undefined;
  await jobClient.update(job, { old: unknownOld });
  await jobClient.apply({ metadata: { name: "pi" }, spec: { suspend: true } }, { fieldManager: "me", old: job });
  // @ts-expect-error old must be the client's object type, not another kind's
  await jobClient.update(job, { old: { metadata: { name: "pi" }, rules: [] } satisfies ClusterRole });
  // @ts-expect-error old must be the client's object type
  await jobClient.status.update(job, { old: "pi" });
  // @ts-expect-error old must be the client's object type, on apply too
  await jobClient.apply({ metadata: { name: "pi" } }, { fieldManager: "me", old: { spec: { suspend: "yes" } } });

  // @ts-expect-error jobs/status has no create verb
  await jobClient.status.create("pi", job);
  // @ts-expect-error jobs/status has no delete verb
  await jobClient.status.delete("pi");
  // @ts-expect-error "json" patches are operation lists, not objects
  await jobClient.patch("pi", { spec: { suspend: true } }, { type: "json" });
  // @ts-expect-error apply needs a fieldManager
  await jobClient.apply({ metadata: { name: "pi" } }, {});
  // @ts-expect-error a Job's kind is "Job"
  await jobClient.create({ apiVersion: "batch/v1", kind: "Pod", metadata: { name: "pi" } });
  // @ts-expect-error a Job's apiVersion is "batch/v1"
  await jobClient.create({ apiVersion: "v1", metadata: { name: "pi" } });
  // @ts-expect-error namespace and allNamespaces exclude each other
  await jobClient.list({ namespace: "a", allNamespaces: true });

  const reviews = kube.resource(tokenreviews);
  await reviews.create({ spec: { token: "t" } });
  // @ts-expect-error tokenreviews can only be created
  await reviews.get("x");
  // @ts-expect-error tokenreviews can only be created
  await reviews.list();
  // @ts-expect-error no patch verb, so no apply
  await reviews.apply({ spec: {} }, { fieldManager: "me" });
  // @ts-expect-error no list verb, so no listAll
  reviews.listAll();

  const roles = kube.resource(clusterroles);
  const role = await roles.get("view");
  expectType<Equal<typeof role, WithName<ClusterRole>>>();
  await roles.list();
  // @ts-expect-error clusterroles are cluster-scoped: no namespace
  await roles.get("view", { namespace: "default" });
  // @ts-expect-error clusterroles are cluster-scoped: no allNamespaces
  await roles.list({ allNamespaces: true });
  // @ts-expect-error clusterroles are cluster-scoped: no namespace
  await roles.delete("view", { namespace: "default" });

  const deploys = kube.resource(deployments);
  const scale = await deploys.scale.get("web");
  expectType<Equal<typeof scale, WithName<Scale>>>();
  await deploys.scale.patch("web", { spec: { replicas: 2 } });
  // @ts-expect-error the Scale body has no "template" field in spec
  await deploys.scale.patch("web", { spec: { template: {} } });
  // @ts-expect-error deployments here only get and list
  await deploys.create({ metadata: { name: "web" } });
  // @ts-expect-error deployments/status only gets
  await deploys.status.update({});

  const podClient = kube.resource(pods);
  await podClient.eviction.create("web-1", { metadata: { name: "web-1" } });
  // @ts-expect-error an Eviction is not a Pod
  await podClient.eviction.create("web-1", { kind: "Pod" });
  // Streaming subresources are methods of their own (runtime/stream), not JSON subresource clients.
  await podClient.log.get("web-1", { container: "app", tailLines: 10 });
  // @ts-expect-error log has get and stream, no JSON verbs
  await podClient.log.patch("web-1", {});
  // @ts-expect-error exec needs a command
  await podClient.exec("web-1", {});
  await podClient.execAndCollect("web-1", { command: ["ls"], stdin: "input" });
  // @ts-expect-error this pods fixture lists no portforward subresource
  podClient.portforward;

  const cms = kube.resource(configmaps);
  await cms.deletecollection({ labelSelector: "a=b", propagationPolicy: "Background" });
  await cms.delete("x", { gracePeriodSeconds: 0, preconditions: { resourceVersion: "1" } });
  // @ts-expect-error configmaps have no subresources
  cms.status;
}
