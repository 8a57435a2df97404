// Child process (run with --expose-gc): peak RSS of one memory scenario for one contender, alone in its process.
import { loadContender } from "../contenders/index.js";
import { NAMESPACES, type MemoryScenario, type WorkerContext } from "../plan.js";
import { readJob, runWorker, type ScenarioResult } from "./protocol.js";
import { peakRssMb } from "./peak-rss.js";


interface Job extends WorkerContext {
  scenario: MemoryScenario;
}

const mb = (bytes: number) => bytes / 2 ** 20;
const collect = () => (globalThis as { gc?: () => void }).gc?.();

runWorker(async (): Promise<ScenarioResult> => {
  const job = readJob<Job>();
  const client = await (await loadContender(job.contender))({ kubeconfigPath: job.target.kubeconfigPath, generatedCoreV1: job.generatedCoreV1 });
  collect();
  const baselineRss = mb(process.memoryUsage().rss);
  const started = performance.now();
  try {
    if (job.scenario === "list-paginated") {
      if (!client.listAllPaginated) return { na: "no paginated list API (its list answers the whole collection at once)" };
      const count = await client.listAllPaginated(NAMESPACES.big, job.sizes.pageSize);
      if (count !== job.sizes.bigCount) throw new Error(`listed ${count} pods, expected ${job.sizes.bigCount}`);
      return { metrics: { peakRssMb: peakRssMb(), baselineRssMb: baselineRss, ms: performance.now() - started } };
    }
    if (!client.informPods) return { na: "no informer or list-then-watch cache" };
    const informer = await client.informPods(NAMESPACES.big);
    // fluent-client reports its list before its callbacks have run; wait for the store to fill.
    for (const deadline = Date.now() + 30_000; informer.size() < job.sizes.bigCount && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
    const synced = performance.now() - started;
    if (informer.size() !== job.sizes.bigCount) throw new Error(`informer holds ${informer.size()} pods, expected ${job.sizes.bigCount}`);
    collect();
    const heldRss = mb(process.memoryUsage().rss);
    const heapUsed = mb(process.memoryUsage().heapUsed);
    await informer.stop();
    return { metrics: { peakRssMb: peakRssMb(), heldRssMb: heldRss, heldHeapMb: heapUsed, baselineRssMb: baselineRss, ms: synced } };
  } finally {
    await client.close();
  }
});
