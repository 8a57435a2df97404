// Type-checked (strict) against freshly generated modules copied beside it as ./gen, then run by
// test/e2e/generated-clients.test.ts against the real kube-apiserver. Not part of the repo's tsconfig.
import type { KubeClient } from "kubetyped/runtime";
import { jobs, type Job } from "./gen/batch/v1.js";
import { configMaps, resourceQuotas } from "./gen/core/v1.js";
import { widgets, type Widget } from "./gen/demo.kubetyped.dev/v1alpha1.js";
import { clusterRoles } from "./gen/rbac.authorization.k8s.io/v1.js";

/** What the program left on the server, by `kind/name`, for the test to compare with kubectl. */
export type Results = Record<string, { kind: string; name: string; namespace?: string; object: unknown }>;

export async function run(kube: KubeClient, namespace: string, suffix: string): Promise<Results> {
  const results: Results = {};

  const cms = kube.resource(configMaps);
  const cmName = `cm-${suffix}`;
  await cms.create({ metadata: { name: cmName, labels: { app: "kubetyped-e2e" } }, data: { a: "1" } }, { namespace });
  const listed = await cms.list({ namespace, labelSelector: "app=kubetyped-e2e" });
  if (!listed.items.some((item) => item.metadata?.name === cmName)) throw new Error("created ConfigMap not listed");
  const fetched = await cms.get(cmName, { namespace });
  await cms.update({ ...fetched, data: { ...fetched.data, b: "2" } }, { namespace });
  await cms.patch(cmName, { data: { c: "3" } }, { namespace, type: "merge" });
  await cms.patch(cmName, [{ op: "add", path: "/data/d", value: "4" }], { namespace, type: "json" });
  await cms.patch(cmName, { metadata: { annotations: { strategic: "yes" } } }, { namespace, type: "strategic" });
  results.configmap = { kind: "configmap", name: cmName, namespace, object: await cms.get(cmName, { namespace }) };
  const doomed = `cm-doomed-${suffix}`;
  await cms.create({ metadata: { name: doomed } }, { namespace });
  await cms.delete(doomed, { namespace });

  // Quantities as numbers and strings: the server takes both (this cluster publishes OpenAPI v2, where the
  // generated Quantity used to be only `string`).
  const quotaName = `quota-${suffix}`;
  await kube.resource(resourceQuotas).create({ metadata: { name: quotaName }, spec: { hard: { cpu: 2, memory: "1Gi", pods: 10 } } }, { namespace });
  results.quota = { kind: "resourcequota", name: quotaName, namespace, object: await kube.resource(resourceQuotas).get(quotaName, { namespace }) };

  const jobClient = kube.resource(jobs);
  const job: Job = {
    metadata: { name: `job-${suffix}` },
    spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox", command: ["true"] }] } } },
  };
  const created = await jobClient.create(job, { namespace });
  // Only the status subresource may set status; the main resource ignores it.
  const withStatus = await jobClient.status.update({ ...created, status: { active: 1 } }, { namespace });
  if (withStatus.status?.active !== 1) throw new Error("status update did not take");
  await jobClient.status.patch(created.metadata!.name!, { status: { failed: 2 } }, { namespace });
  results.job = { kind: "job", name: created.metadata!.name!, namespace, object: await jobClient.get(created.metadata!.name!, { namespace }) };

  const roles = kube.resource(clusterRoles);
  const roleName = `kubetyped-e2e:${suffix}`;
  await roles.create({ metadata: { name: roleName }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }] });
  await roles.patch(roleName, { metadata: { labels: { patched: "true" } } });
  results.clusterrole = { kind: "clusterrole", name: roleName, object: await roles.get(roleName) };

  const widgetClient = kube.resource(widgets);
  const widget: Widget = {
    metadata: { name: `widget-${suffix}` },
    spec: { size: "small", replicas: 1, port: 8080, parts: [{ name: "gear", count: 2 }], extra: { anything: ["goes"] } },
  };
  await widgetClient.create(widget, { namespace });
  await widgetClient.patch(widget.metadata!.name!, { spec: { size: "large" } }, { namespace });
  await widgetClient.status.patch(widget.metadata!.name!, { status: { phase: "Ready", replicas: 1 } }, { namespace });
  await widgetClient.apply(
    { apiVersion: "demo.kubetyped.dev/v1alpha1", kind: "Widget", metadata: { name: widget.metadata!.name! }, spec: { size: "large", port: "http" } },
    { namespace, fieldManager: "kubetyped-e2e", force: true },
  );
  results.widget = { kind: "widget", name: widget.metadata!.name!, namespace, object: await widgetClient.get(widget.metadata!.name!, { namespace }) };
  return results;
}
