import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { isNotFound, KubeClient } from "../../runtime/index.js";
import {
  condition,
  createEventRecorder,
  deleted,
  jobComplete,
  JobFailedError,
  waitFor,
  WaitTimeoutError,
  withFinalizer,
} from "../../runtime/entries/controller.js";
import { createTransport, defineResource, loadKubeconfig, type RequestTransport } from "../../runtime/entries/plumbing.js";
import { installCrds, widgetCrd } from "../../local-cluster/crds.js";
import { createNamespace } from "../support/cluster-ops.js";
import { describeWithCluster, type LocalClusterInfo } from "../support/cluster.js";
import { kubectl, kubectlAvailable } from "../support/kubectl.js";
import { checkNoLeaksAfterEach } from "../support/leak-check.js";
import { configmaps, jobs } from "../types/fixtures.js";

const hasKubectl = await kubectlAvailable();
if (!hasKubectl && process.env.CI) throw new Error("kubectl is not on PATH; CI must provide it for the events cross-check");

interface Condition {
  type: string;
  status: string;
  observedGeneration?: number;
  reason?: string;
}
interface Widget {
  apiVersion?: "demo.kubetyped.dev/v1alpha1";
  kind?: "Widget";
  metadata?: { name?: string; namespace?: string; generation?: number; resourceVersion?: string };
  spec?: { size: "small" | "medium" | "large" };
  status?: { conditions?: Condition[] };
}
const widgets = defineResource<Widget, { status: Widget }>()({
  group: "demo.kubetyped.dev",
  version: "v1alpha1",
  plural: "widgets",
  kind: "Widget",
  namespaced: true,
  verbs: ["create", "get", "list", "watch", "patch"],
  subresources: { status: { verbs: ["get", "patch", "update"] } },
});

interface V1Event {
  metadata?: { name?: string };
  regarding?: { name?: string; kind?: string };
  reason?: string;
  note?: string;
  type?: string;
  series?: { count: number };
  reportingController?: string;
}
const eventsV1 = defineResource<V1Event>()({ group: "events.k8s.io", version: "v1", plural: "events", kind: "Event", namespaced: true, verbs: ["list"] });
interface CoreEvent {
  metadata?: { name?: string };
  involvedObject?: { name?: string };
  reason?: string;
  message?: string;
  count?: number;
  source?: { component?: string };
  series?: { count: number };
}
const coreEvents = defineResource<CoreEvent>()({ group: "", version: "v1", plural: "events", kind: "Event", namespaced: true, verbs: ["list"] });

/** A client whose writes are counted by method, so the test sees how many requests the recorder sent. */
async function countingClient(cluster: LocalClusterInfo, namespace: string) {
  const transport = createTransport(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }));
  const writes: string[] = [];
  const counting: RequestTransport = {
    server: transport.server,
    close: () => transport.close(),
    send: (request) => {
      if (request.method !== "GET") writes.push(`${request.method} ${request.path.split("?")[0]}`);
      return transport.send(request);
    },
  };
  return { kube: new KubeClient(counting, { namespace }), writes };
}

describeWithCluster("events, finalizers and waitFor against kube-apiserver", (cluster) => {
  checkNoLeaksAfterEach();

  it("createEventRecorder: 500 repeats are one events.k8s.io/v1 event with series.count 500, in a handful of requests; kubectl shows it", { timeout: 60_000 }, async () => {
    const namespace = `events-${randomBytes(4).toString("hex")}`;
    const { kube, writes } = await countingClient(cluster, namespace);
    try {
      await createNamespace(kube, namespace);
      const subject = await kube.resource(configmaps).create({ metadata: { name: "subject" } });
      writes.length = 0;
      const recorder = createEventRecorder(kube, { reportingController: "kubetyped.dev/e2e", reportingInstance: "test-1", flushIntervalMs: 50 });
      for (let i = 0; i < 500; i++) {
        recorder.event(subject, { type: "Normal", reason: "Spinning", action: "Reconcile", note: "the same thing again" });
        if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 60)); // let a few flushes happen mid-loop
      }
      recorder.event(subject, { type: "Warning", reason: "Failed", action: "Reconcile", note: "something else" });
      await recorder.close();

      const events = (await kube.resource(eventsV1).list()).items;
      expect(events.map((event) => [event.reason, event.regarding?.name, event.series?.count, event.reportingController]).sort()).toEqual([
        ["Failed", "subject", undefined, "kubetyped.dev/e2e"],
        ["Spinning", "subject", 500, "kubetyped.dev/e2e"],
      ]);
      const creates = writes.filter((write) => write.startsWith("POST")).length;
      const patches = writes.filter((write) => write.startsWith("PATCH")).length;
      console.log(`event recorder: 501 events recorded as 2 Events with ${creates} creates and ${patches} count patches`);
      expect(creates).toBe(2);
      expect(patches).toBeGreaterThan(0);
      expect(patches).toBeLessThan(20);

      if (hasKubectl) {
        const listed = JSON.parse(await kubectl(cluster.kubeconfigPath, ["get", "events", "-n", namespace, "-o", "json"])) as { items: CoreEvent[] };
        const spinning = listed.items.filter((event) => event.reason === "Spinning");
        expect(spinning.map((event) => [event.involvedObject?.name, event.series?.count ?? event.count])).toEqual([["subject", 500]]);
        // kubectl's table: one row for the 500 repeats. (Its COUNT column reads 501 on this 1.20 server, whose table
        // printer counts differently from series.count; the stored count above is the one client-go's reporters write.)
        const table = await kubectl(cluster.kubeconfigPath, ["get", "events", "-n", namespace, "-o", "wide"]);
        expect(table.split("\n").filter((line) => /\sSpinning\s+configmap\/subject\s.*the same thing again\s/.test(line))).toHaveLength(1);
      }
    } finally {
      await kube.close();
    }
  });

  it("createEventRecorder falls back to core/v1 when events.k8s.io/v1 is not served, and counts repeats there", { timeout: 60_000 }, async () => {
    const namespace = `events-${randomBytes(4).toString("hex")}`;
    const { kube } = await countingClient(cluster, namespace);
    try {
      await createNamespace(kube, namespace);
      const subject = await kube.resource(configmaps).create({ metadata: { name: "subject" } });
      // A version the server does not serve stands in for a cluster without events.k8s.io/v1.
      const unserved = defineResource()({ group: "events.k8s.io", version: "v9", plural: "events", kind: "Event", namespaced: true, verbs: ["create", "patch"] });
      const errors: unknown[] = [];
      const recorder = createEventRecorder(kube, { reportingController: "kubetyped.dev/e2e", descriptors: { eventsV1: unserved }, flushIntervalMs: 50, onError: (error) => errors.push(error) });
      for (let i = 0; i < 30; i++) recorder.event(subject, { type: "Warning", reason: "Retrying", action: "Reconcile", note: "try again" });
      await recorder.close();
      expect(errors).toEqual([]);
      const events = (await kube.resource(coreEvents).list()).items;
      expect(events.map((event) => [event.reason, event.involvedObject?.name, event.count, event.message, event.source?.component])).toEqual([["Retrying", "subject", 30, "try again", "kubetyped.dev/e2e"]]);
      // An event about an object in a namespace that does not exist is an error, not a reason to switch APIs.
      const elsewhere = { ...subject, metadata: { ...subject.metadata, namespace: "no-such-namespace" } };
      const strict = createEventRecorder(kube, { reportingController: "kubetyped.dev/e2e", onError: (error) => errors.push(error) });
      strict.event(elsewhere, { type: "Normal", reason: "X", action: "Y" });
      await strict.close();
      expect(errors).toHaveLength(1);
      expect(isNotFound(errors[0])).toBe(true);
    } finally {
      await kube.close();
    }
  });

  it("withFinalizer: adds its finalizer, holds deletion until cleanup succeeded, keeps others' finalizers through a conflict", { timeout: 60_000 }, async () => {
    const namespace = `finalizer-${randomBytes(4).toString("hex")}`;
    const { kube } = await countingClient(cluster, namespace);
    const name = "held";
    const finalizer = "e2e.kubetyped.dev/cleanup";
    try {
      await createNamespace(kube, namespace);
      const cms = kube.resource(configmaps);
      const created = await cms.create({ metadata: { name }, data: { v: "1" } });
      const cleanups: string[] = [];
      const handlers = {
        apply: (object: typeof created) => `applied at ${object.metadata?.resourceVersion}`,
        cleanup: () => {
          cleanups.push("ran");
          if (cleanups.length === 1) throw new Error("the external thing is not gone yet");
          return "cleaned";
        },
      };
      expect(await withFinalizer(cms, finalizer, created, handlers)).toMatch(/^applied at \d+$/);
      // Someone else adds a finalizer; our stale copy's write conflicts, is retried on a fresh read, and keeps theirs.
      await cms.patch(name, { metadata: { finalizers: [finalizer, "other.example.com/keep"] } });
      expect(await withFinalizer(cms, finalizer, created, handlers)).toMatch(/^applied/); // holds it already: no write
      await cms.delete(name);
      const deleting = await cms.get(name);
      expect(deleting.metadata?.deletionTimestamp).toBeDefined();

      await expect(withFinalizer(cms, finalizer, deleting, handlers)).rejects.toThrow(/not gone yet/);
      expect((await cms.get(name)).metadata?.finalizers).toEqual([finalizer, "other.example.com/keep"]); // still held
      await cms.patch(name, { data: { v: "2" } }); // moves the resourceVersion: `deleting` is stale now
      expect(await withFinalizer(cms, finalizer, deleting, handlers)).toBe("cleaned");
      expect(cleanups).toEqual(["ran", "ran"]);
      expect((await cms.get(name)).metadata?.finalizers).toEqual(["other.example.com/keep"]);
      await cms.patch(name, { metadata: { finalizers: null } }, { type: "merge" });
      await expect(cms.get(name)).rejects.toSatisfy(isNotFound);
      await expect(withFinalizer(cms, "no-domain", created, handlers)).rejects.toThrow(/domain-qualified/);
    } finally {
      await kube.close();
    }
  });

  it("waitFor: a condition of the current generation, deletion and Job completion; failed Jobs and timeouts are typed errors", { timeout: 60_000 }, async () => {
    const namespace = `wait-${randomBytes(4).toString("hex")}`;
    const { kube } = await countingClient(cluster, namespace);
    try {
      await createNamespace(kube, namespace);
      await installCrds(kube, [widgetCrd]);
      const client = kube.resource(widgets);
      const widget = await client.create({ metadata: { name: "w" }, spec: { size: "small" } });
      const generation = widget.metadata!.generation!;
      const ready = waitFor(client, "w", condition("Ready"), { timeoutMs: 30_000 });
      const setConditions = (conditions: Condition[]) => client.status.patch("w", { status: { conditions } }, { type: "merge" });
      await setConditions([{ type: "Ready", status: "False", observedGeneration: generation }]);
      await setConditions([{ type: "Ready", status: "True", observedGeneration: generation - 1, reason: "Stale" }]); // about an older spec
      await setConditions([{ type: "Ready", status: "True", observedGeneration: generation, reason: "Current" }]);
      const satisfied = await ready;
      expect(satisfied?.status?.conditions?.[0]).toMatchObject({ status: "True", reason: "Current" });
      expect(await waitFor(client, "w", condition("Ready"))).toMatchObject({ metadata: { name: "w" } }); // already true: at once

      const cms = kube.resource(configmaps);
      await cms.create({ metadata: { name: "doomed" } });
      const gone = waitFor(cms, "doomed", deleted());
      await cms.delete("doomed");
      expect(await gone).toBeUndefined();

      const timedOut = await waitFor(client, "w", condition("Degraded"), { timeoutMs: 300 }).catch((error: unknown) => error);
      expect(timedOut).toBeInstanceOf(WaitTimeoutError);
      expect((timedOut as WaitTimeoutError).message).toMatch(new RegExp(`timed out after 300 ms waiting for condition Degraded=True of ${namespace}/w; last seen: .*"Ready"`));
      expect((timedOut as WaitTimeoutError).lastSeen).toMatchObject({ metadata: { name: "w" } });

      // No job controller runs here: the test writes the status a current job controller writes (a current server
      // refuses a finished Job without startTime, completionTime and the SuccessCriteriaMet/FailureTarget condition).
      const template = { spec: { restartPolicy: "Never" as const, containers: [{ name: "c", image: "busybox" }] } };
      const jobClient = kube.resource(jobs);
      for (const name of ["ok", "bad"]) await jobClient.create({ metadata: { name }, spec: { template } });
      const completes = waitFor(jobClient, "ok", jobComplete());
      const fails = waitFor(jobClient, "bad", jobComplete()).catch((error: unknown) => error);
      const conditionNow = { lastProbeTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"), lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z") };
      const job = await jobClient.get("ok");
      const [startTime, completionTime] = [conditionNow.lastTransitionTime, conditionNow.lastTransitionTime];
      const successCriteriaMet = { type: "SuccessCriteriaMet", status: "True", ...conditionNow };
      await jobClient.status.update({ ...job, status: { startTime, completionTime, succeeded: 1, conditions: [successCriteriaMet, { type: "Complete", status: "True", ...conditionNow }] } });
      const bad = await jobClient.get("bad");
      const failure = { reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", ...conditionNow };
      await jobClient.status.update({ ...bad, status: { startTime, failed: 1, conditions: [{ type: "FailureTarget", status: "True", ...failure }, { type: "Failed", status: "True", ...failure }] } });
      expect((await completes)?.status?.succeeded).toBe(1);
      const failed = await fails;
      expect(failed).toBeInstanceOf(JobFailedError);
      expect((failed as JobFailedError).message).toBe(`job ${namespace}/bad failed: BackoffLimitExceeded: Job has reached the specified backoff limit`);
    } finally {
      await kube.close();
    }
  });
});
