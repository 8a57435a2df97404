// Child process: many watches of one contender at once, each seeing a burst; events/s and peak RSS.
import { loadContender } from "../contenders/index.js";
import type { WorkerContext } from "../plan.js";
import { adminClient } from "../setup/admin.js";
import { peakRssMb } from "./peak-rss.js";
import { readJob, runWorker, type ScenarioResult } from "./protocol.js";
import { measureWatches } from "./watch-measure.js";

interface Job extends WorkerContext {
  namespace: string;
  watches: number;
  burstPerWatch: number;
}

runWorker(async (): Promise<ScenarioResult> => {
  const job = readJob<Job>();
  const client = await (await loadContender(job.contender))({ kubeconfigPath: job.target.kubeconfigPath, generatedCoreV1: job.generatedCoreV1 });
  // The burst is released by a plain client, so the one measured does no more than watch.
  const admin = await adminClient(job.target.kubeconfigPath);
  try {
    const trigger = async () => {
      const answer = await admin.send("POST", `/bench/watch-burst?namespace=${encodeURIComponent(job.namespace)}`);
      if (answer.json.watches !== job.watches) throw new Error(`the server released ${String(answer.json.watches)} watches, expected ${job.watches}`);
    };
    const { eventsPerSecond, ms } = await measureWatches(client, { namespace: job.namespace, watches: job.watches, expectedPerWatch: job.burstPerWatch, trigger, timeoutMs: 120_000 });
    return { metrics: { eventsPerSecond, ms, peakRssMb: peakRssMb() } };
  } finally {
    await admin.close();
    await client.close();
  }
});
