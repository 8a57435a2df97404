import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { isNotFound, type KubeClient } from "../../runtime/index.js";
import { createController, watchRelated } from "../../runtime/entries/controller.js";
import { defineResource } from "../../runtime/entries/plumbing.js";
import { clients, createNamespace, runBounded } from "../support/cluster-ops.js";
import { describeWithCluster } from "../support/cluster.js";
import { checkNoLeaksAfterEach } from "../support/leak-check.js";
import { configmaps, type ConfigMap } from "../types/fixtures.js";

interface Secret {
  apiVersion?: "v1";
  kind?: "Secret";
  metadata?: { name?: string; namespace?: string; ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[] };
  stringData?: Record<string, string>;
}
const secrets = defineResource<Secret>()({ group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true, verbs: ["create", "list", "watch", "patch"] });

/** A small seeded generator (mulberry32): the same failures on every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${withinMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function converged(kube: KubeClient): Promise<boolean> {
  for await (const cm of kube.resource(configmaps).listAll({ labelSelector: "load=converge" })) if (cm.data?.observed !== cm.data?.spec) return false;
  return true;
}

interface Session {
  kube: KubeClient;
  namespace: string;
  abort: AbortController;
  /** Runs `controller` until `abort`; stopped and awaited after the test whatever happens. */
  start(controller: { run(signal: AbortSignal): Promise<void> }): Promise<void>;
}

/** A fresh namespace and a client in it for `body`; afterwards the controllers stop and the client closes. */
async function inFreshNamespace(cluster: Parameters<typeof clients>[0], body: (session: Session) => Promise<void>): Promise<void> {
  const namespace = `controller-${randomBytes(4).toString("hex")}`;
  const { direct: kube, close } = await clients(cluster, undefined, namespace);
  const abort = new AbortController();
  const runs: Array<Promise<void>> = [];
  try {
    await createNamespace(kube, namespace);
    await body({ kube, namespace, abort, start: (controller) => runs[runs.push(controller.run(abort.signal)) - 1]! });
  } finally {
    abort.abort();
    await Promise.all(runs.map((run) => run.catch(() => {})));
    await close();
  }
}

describeWithCluster("createController against kube-apiserver", (cluster) => {
  checkNoLeaksAfterEach();

  it("1,000 objects with 20% of reconciles failing all converge; no key is reconciled twice at once; the queue ends empty", { timeout: 240_000 }, () =>
    inFreshNamespace(cluster, async ({ kube, abort, start }) => {
      const cms = kube.resource(configmaps);
      await runBounded(1000, 16, (i) => cms.create({ metadata: { name: `obj-${i}`, labels: { load: "converge" } }, data: { spec: `v${i}` } }).then(() => {}));
      const random = seeded(20_260_516);
      const active = new Set<string>();
      const stats = { calls: 0, injected: 0, writes: 0, concurrent: 0, maxRetries: 0, reported: 0 };
      const controller = createController({
        resource: cms,
        informer: { labelSelector: "load=converge" },
        workers: 8,
        // Faster than client-go's 10/s so the ~400 retries take seconds, not a minute; the semantics are the same.
        queue: { qps: 200, burst: 200 },
        onError: () => void stats.reported++,
        async reconcile(key, { name, object, retries }) {
          if (active.has(key)) stats.concurrent++;
          active.add(key);
          stats.calls++;
          stats.maxRetries = Math.max(stats.maxRetries, retries);
          try {
            await new Promise((resolve) => setImmediate(resolve)); // give a second worker the chance to pick the same key
            if (random() < 0.2) {
              stats.injected++;
              throw new Error(`injected failure of ${key}`);
            }
            if (object === undefined || object.data?.observed === object.data?.spec) return;
            stats.writes++;
            await cms.patch(name, { data: { observed: object.data?.spec ?? "" } });
          } finally {
            active.delete(key);
          }
        },
      });
      const started = Date.now();
      const running = start(controller);
      await until(async () => controller.queue.length + controller.queue.processing + controller.queue.delayed === 0 && stats.calls >= 1000 && (await converged(kube)), "convergence", 180_000);
      const convergedMs = Date.now() - started;
      // A second round: new specs for 100 objects reach the controller through the watch and converge too.
      await runBounded(100, 16, (i) => cms.patch(`obj-${i * 10}`, { data: { spec: `w${i}` } }).then(() => {}));
      await until(async () => controller.queue.length + controller.queue.processing + controller.queue.delayed === 0 && (await converged(kube)), "the second convergence", 120_000);
      abort.abort();
      await running;
      console.log(
        `controller convergence: 1,000 ConfigMaps converged in ${convergedMs} ms with 8 workers; then 100 changed specs converged. ` +
          `${stats.calls} reconciles, ${stats.injected} injected failures (${((100 * stats.injected) / stats.calls).toFixed(1)}%), ` +
          `${stats.writes} writes, at most ${stats.maxRetries} retries in a row for one key, ${stats.concurrent} concurrent reconciles of one key`,
      );
      expect(stats.concurrent).toBe(0);
      expect(stats.reported).toBe(stats.injected);
      expect(stats.injected / stats.calls).toBeGreaterThan(0.15);
      expect(stats.injected / stats.calls).toBeLessThan(0.25);
      expect(stats.writes).toBe(1100);
      expect([controller.queue.length, controller.queue.processing, controller.queue.delayed]).toEqual([0, 0, 0]);
      expect(controller.queue.shuttingDown).toBe(true);
    }));

  it("owned objects queue their owner, watchRelated maps others, requeueAfterMs looks again, and an abort stops it cleanly", { timeout: 60_000 }, () =>
    inFreshNamespace(cluster, async ({ kube, namespace, abort, start }) => {
      const cms = kube.resource(configmaps);
      const parent = await cms.create({ metadata: { name: "parent", labels: { role: "parent" } }, data: { requeue: "once" } });
      await cms.create({ metadata: { name: "other", labels: { role: "parent" } } });
      await cms.create({ metadata: { name: "pointer", labels: { role: "pointer" } }, data: { target: "parent" } });
      const owner = { apiVersion: "v1", kind: "ConfigMap", name: "parent", uid: parent.metadata!.uid!, controller: true };
      await kube.resource(secrets).create({ metadata: { name: "owned", ownerReferences: [owner] }, stringData: { k: "v" } });
      await kube.resource(secrets).create({ metadata: { name: "unowned" }, stringData: { k: "v" } });

      const calls: string[] = [];
      let requeued = false;
      const controller = createController({
        resource: cms,
        informer: { labelSelector: "role=parent" },
        owns: [kube.resource(secrets)],
        watches: [watchRelated(kube.resource(configmaps), (pointer: ConfigMap) => [`${namespace}/${pointer.data?.target}`], { labelSelector: "role=pointer" })],
        reconcile(key, { object }) {
          calls.push(key);
          if (object?.data?.requeue === "once" && !requeued) {
            requeued = true;
            return { requeueAfterMs: 300 };
          }
        },
      });
      const running = start(controller);
      const count = (name: string) => calls.filter((key) => key === `${namespace}/${name}`).length;
      // The initial lists queue both parents (parent through its Secret and the pointer too); parent comes back
      // once more by itself (requeueAfterMs). Then nothing is left to do.
      const idle = () => controller.queue.length + controller.queue.processing + controller.queue.delayed === 0;
      await until(() => requeued && idle() && count("other") >= 1, "the first reconciles and the requeue", 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(idle()).toBe(true);
      expect(count("parent")).toBeGreaterThanOrEqual(2);
      expect(controller.get(`${namespace}/parent`)?.data?.requeue).toBe("once");
      const settled = [count("parent"), count("other")];

      await kube.resource(secrets).patch("owned", { stringData: { k: "changed" } });
      await until(() => count("parent") === settled[0]! + 1, "the owner's reconcile after its Secret changed", 20_000);
      await cms.patch("pointer", { data: { touched: "1" } });
      await until(() => count("parent") === settled[0]! + 2, "the mapped reconcile after the pointer changed", 20_000);
      await kube.resource(secrets).patch("unowned", { stringData: { k: "changed" } });
      await cms.patch("other", { data: { touched: "1" } });
      await until(() => count("other") === settled[1]! + 1, "other's own change", 20_000);
      expect(count("parent")).toBe(settled[0]! + 2); // the unowned Secret queued nobody
      expect(new Set(calls)).toEqual(new Set([`${namespace}/parent`, `${namespace}/other`]));

      abort.abort();
      await running; // resolves: workers done, informers stopped (the leak check after the test holds it to that)
      expect(controller.queue.shuttingDown).toBe(true);
      await expect(controller.run(new AbortController().signal)).rejects.toThrow(/has run already/);
    }));

  it("run() rejects with the informer's error when the primary resource is not served", { timeout: 30_000 }, async () => {
    const { direct: kube, close } = await clients(cluster, undefined, "default");
    try {
      const missing = defineResource<{ metadata?: { name?: string } }>()({ group: "nowhere.example.com", version: "v1", plural: "things", kind: "Thing", namespaced: true, verbs: ["list", "watch"] });
      const reported: unknown[] = [];
      const controller = createController({ resource: kube.resource(missing), reconcile: () => {}, onError: (error) => reported.push(error) });
      const outcome = await controller.run(new AbortController().signal).then(() => undefined, (error: unknown) => error);
      expect(isNotFound(outcome)).toBe(true);
      expect(reported).toEqual([outcome]); // the informer's error handlers hear it too
      expect(controller.hasSynced).toBe(false);
    } finally {
      await close();
    }
  });
});
