// Child process: watch decoding of kubetyped, raw undici and client-node in ONE process, taking turns, so a
// load spike on the shared machine hits all of them: one watch seeing the canned 20,000-event burst, and
// many watches at once each seeing a smaller one. Answers events/s per turn.
import { loadContender } from "../contenders/index.js";
import type { ContenderClient } from "../contenders/types.js";
import { NAMESPACES, type DecodingResult, type WorkerContext } from "../plan.js";
import { adminClient } from "../setup/admin.js";
import { readJob, runWorker } from "./protocol.js";
import { measureWatches, type WatchPlan } from "./watch-measure.js";

interface Job extends WorkerContext {
  contenders: string[];
  blocks: number;
  single: { expected: number };
  many: { watches: number; burstPerWatch: number };
}

runWorker(async (): Promise<DecodingResult> => {
  const job = readJob<Job>();
  const clients: Record<string, ContenderClient> = {};
  for (const name of job.contenders) clients[name] = await (await loadContender(name))({ kubeconfigPath: job.target.kubeconfigPath, generatedCoreV1: job.generatedCoreV1 });
  const admin = await adminClient(job.target.kubeconfigPath);
  const plans: Record<keyof DecodingResult, WatchPlan> = {
    single: { namespace: NAMESPACES.watch, watches: 1, expectedPerWatch: job.single.expected },
    many: {
      namespace: NAMESPACES.manyWatches,
      watches: job.many.watches,
      expectedPerWatch: job.many.burstPerWatch,
      trigger: async () => void (await admin.send("POST", `/bench/watch-burst?namespace=${NAMESPACES.manyWatches}`)),
      timeoutMs: 120_000,
    },
  };
  const result: DecodingResult = { single: {}, many: {} };
  try {
    for (const scenario of ["single", "many"] as const) {
      // Turn 0 warms every client up and is not kept; each later turn starts with the next contender.
      for (let block = 0; block <= job.blocks; block++) {
        const start = block % job.contenders.length;
        for (const name of [...job.contenders.slice(start), ...job.contenders.slice(0, start)]) {
          const { eventsPerSecond } = await measureWatches(clients[name]!, plans[scenario]);
          if (block > 0) (result[scenario][name] ??= []).push(eventsPerSecond);
        }
      }
    }
  } finally {
    await admin.close();
    for (const client of Object.values(clients)) await client.close();
  }
  return result;
});
