import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { clientFromConnection, type KubeClient, type WatchEvent } from "../../runtime/index.js";
import { defineResource, loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { describeWithCluster } from "../support/cluster.js";
import { createNamespace } from "../support/cluster-ops.js";
import { activeResourceCounts, expectNoLeaksSince } from "../support/leak-check.js";

interface ConfigMap {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}
const configmaps = defineResource<ConfigMap>()({
  group: "",
  version: "v1",
  plural: "configmaps",
  kind: "ConfigMap",
  namespaced: true,
  verbs: ["get", "list", "watch", "create"],
});

const WATCHES = 200;
const LOOPS = 64;
const LOOP_MS = 5_000;

describeWithCluster("load: 200 concurrent watches and 64 request loops against the real server", (cluster) => {
  const namespace = `load-${randomBytes(4).toString("hex")}`;
  let kube: KubeClient;

  beforeAll(async () => {
    kube = clientFromConnection(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }), { timeoutMs: 20_000 });
    await createNamespace(kube, namespace);
    await kube.resource(configmaps).create({ metadata: { name: "target" }, data: { n: "0" } }, { namespace });
  });
  afterAll(async () => {
    await kube?.requestJson({ method: "DELETE", path: `/api/v1/namespaces/${namespace}` }).catch(() => {});
    await kube?.close();
  });

  it("every watch sees every change, every response is accounted for, no socket leaks and memory stays steady", { timeout: 120_000 }, async () => {
    const before = activeResourceCounts();
    const client = clientFromConnection(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }), { timeoutMs: 20_000 });
    const cms = client.resource(configmaps);
    const { resourceVersion } = (await cms.list({ namespace, limit: 1 })).metadata;
    const abort = new AbortController();
    const marks = ["a", "b", "c"];
    // Each watch counts the ADDED events of the marker objects created below.
    const watches = Array.from({ length: WATCHES }, async () => {
      const seen = new Set<string>();
      const events: AsyncIterable<WatchEvent<ConfigMap>> = cms.watch({ namespace, resourceVersion: resourceVersion!, signal: abort.signal });
      for await (const event of events) {
        if (event.type === "ADDED" && event.object.metadata?.name?.startsWith("mark-")) seen.add(event.object.metadata.name);
        if (seen.size === marks.length) break;
      }
      return seen.size;
    });

    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(process.memoryUsage().rss), 250);
    const deadline = Date.now() + LOOP_MS;
    const outcomes = { ok: 0, failed: 0 };
    const loops = Array.from({ length: LOOPS }, async () => {
      while (Date.now() < deadline) {
        await cms.get("target", { namespace }).then(
          () => void outcomes.ok++,
          () => void outcomes.failed++,
        );
      }
    });
    // Changes land while the loops run; every watch must deliver all of them.
    for (const mark of marks) {
      await new Promise((resolve) => setTimeout(resolve, LOOP_MS / (marks.length + 1)));
      await kube.resource(configmaps).create({ metadata: { name: `mark-${mark}` } }, { namespace });
    }
    await Promise.all(loops);
    const seenCounts = await Promise.all(watches);
    clearInterval(sampler);
    abort.abort();
    await client.close();

    console.log(
      `load: ${WATCHES} watches each saw ${marks.length}/${marks.length} changes; ${LOOPS} loops made ${outcomes.ok + outcomes.failed} requests in ${LOOP_MS} ms (${outcomes.failed} failed); rss ${Math.round(Math.min(...samples) / 2 ** 20)}–${Math.round(Math.max(...samples) / 2 ** 20)} MB over ${samples.length} samples`,
    );
    expect(seenCounts.every((count) => count === marks.length)).toBe(true);
    expect(outcomes.failed).toBe(0);
    expect(outcomes.ok).toBeGreaterThan(LOOPS);
    // Steady: the second half of the run never grows past the first half's peak by more than half again.
    const half = Math.floor(samples.length / 2);
    expect(Math.max(...samples.slice(half))).toBeLessThan(Math.max(...samples.slice(0, half)) * 1.5);
    await expectNoLeaksSince(before, 5_000);
  });
});
