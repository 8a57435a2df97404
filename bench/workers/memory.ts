// Child process (run with --expose-gc): peak RSS of one memory scenario for one contender, alone in its process.
import { loadContender } from "../contenders/index.js";
import type { ContenderClient, HeldInformer } from "../contenders/types.js";
import { isListScenario, METADATA_LIST_SCENARIO, NAMESPACES, type ListScenario, type MemoryScenario, type WorkerContext } from "../plan.js";
import { readJob, runWorker, type ScenarioResult } from "./protocol.js";
import { peakRssMb } from "./peak-rss.js";

interface Job extends WorkerContext {
  scenario: MemoryScenario;
  /** The collection and its size; default the memory section's (bench-big, `sizes.bigCount`). */
  namespace?: string;
  count?: number;
}

const mb = (bytes: number) => bytes / 2 ** 20;
const collect = () => (globalThis as { gc?: () => void }).gc?.();

/** The paged list a scenario asks for, or why this client has none. */
function listOf(client: ContenderClient, scenario: ListScenario): ((namespace: string, pageSize: number) => Promise<number>) | { na: string } {
  switch (scenario) {
    case "list-paginated":
      return client.listAllPaginated?.bind(client) ?? { na: "no paginated list API (its list answers the whole collection at once)" };
    case METADATA_LIST_SCENARIO:
      return client.listAllMetadataPaginated?.bind(client) ?? { na: "no metadata-only (PartialObjectMetadata) list" };
  }
}

/** The informer a scenario asks for, or why this client has none. */
function informerOf(client: ContenderClient, scenario: Exclude<MemoryScenario, ListScenario>): ((namespace: string) => Promise<HeldInformer>) | { na: string } {
  switch (scenario) {
    case "informer":
      return client.informPods?.bind(client) ?? { na: "no informer or list-then-watch cache" };
    case "informer-transform":
      return client.informPodsTransformed?.bind(client) ?? { na: "its informer keeps objects as they come (no transform)" };
    case "informer-metadata":
      return client.informPodMetadata?.bind(client) ?? { na: "no metadata-only (PartialObjectMetadata) informer" };
    case "informer-metadata-lean":
      return client.informPodMetadataLean?.bind(client) ?? { na: "no metadata-only (PartialObjectMetadata) informer" };
  }
}

runWorker(async (): Promise<ScenarioResult> => {
  const job = readJob<Job>();
  const namespace = job.namespace ?? NAMESPACES.big;
  const expected = job.count ?? job.sizes.bigCount;
  const client = await (await loadContender(job.contender))({ kubeconfigPath: job.target.kubeconfigPath, generatedCoreV1: job.generatedCoreV1 });
  collect();
  const baselineRss = mb(process.memoryUsage().rss);
  const started = performance.now();
  try {
    if (isListScenario(job.scenario)) {
      const list = listOf(client, job.scenario);
      if ("na" in list) return list;
      const count = await list(namespace, job.sizes.pageSize);
      if (count !== expected) throw new Error(`listed ${count} pods, expected ${expected}`);
      return { metrics: { peakRssMb: peakRssMb(), baselineRssMb: baselineRss, ms: performance.now() - started } };
    }
    const inform = informerOf(client, job.scenario);
    if ("na" in inform) return inform;
    const informer = await inform(namespace);
    // fluent-client reports its list before its callbacks have run; wait for the store to fill.
    for (const deadline = Date.now() + 30_000; informer.size() < expected && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
    const synced = performance.now() - started;
    if (informer.size() !== expected) throw new Error(`informer holds ${informer.size()} pods, expected ${expected}`);
    collect();
    const heldRss = mb(process.memoryUsage().rss);
    const heapUsed = mb(process.memoryUsage().heapUsed);
    await informer.stop();
    return { metrics: { peakRssMb: peakRssMb(), heldRssMb: heldRss, heldHeapMb: heapUsed, baselineRssMb: baselineRss, ms: synced } };
  } finally {
    await client.close();
  }
});
