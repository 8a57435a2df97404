// Child process: kubetyped and raw undici in ONE process, taking turns in short blocks. Both see the same
// machine at nearly the same moment, so a load spike or CPU-frequency drift cancels out of their ratio;
// separate processes per contender (the requests section) cannot tell a 10% overhead from that noise here.
import { loadContender } from "../contenders/index.js";
import type { ContenderClient } from "../contenders/types.js";
import { podManifest } from "../fixtures.js";
import { GET_POD, INTERLEAVED_CONTENDERS, INTERLEAVED_SCENARIOS, NAMESPACES, type InterleavedResult, type InterleavedScenario, type WorkerContext } from "../plan.js";
import { readJob, runWorker } from "./protocol.js";
import { timed } from "./timed.js";

runWorker(async () => {
  const job = readJob<WorkerContext>();
  const { blocks, requests } = job.sizes.interleaved;
  const clients: Record<string, ContenderClient> = {};
  for (const name of INTERLEAVED_CONTENDERS) {
    clients[name] = await (await loadContender(name))({ kubeconfigPath: job.target.kubeconfigPath, generatedCoreV1: job.generatedCoreV1 });
  }
  const operations: Record<InterleavedScenario, { concurrency: number; count: number; run: (client: ContenderClient, name: string, i: number) => Promise<unknown> }> = {
    get: { concurrency: job.sizes.getConcurrency, count: requests, run: (client) => client.getPod(NAMESPACES.read, GET_POD) },
    list: { concurrency: 1, count: Math.max(10, Math.ceil(requests / 50)), run: (client) => client.listPods(NAMESPACES.read) },
    create: { concurrency: 1, count: Math.ceil(requests / 4), run: (client, name, i) => client.createPod(NAMESPACES.write, podManifest(`i-${name}-${job.runTag}-${i}`)) },
  };
  const result = {} as InterleavedResult;
  try {
    for (const scenario of INTERLEAVED_SCENARIOS) {
      const { concurrency, count, run } = operations[scenario];
      result[scenario] = {};
      let serial = 0;
      // Block 0 warms both up and is not kept; each later block alternates which contender goes first.
      for (let block = 0; block <= blocks; block++) {
        const order = block % 2 === 0 ? INTERLEAVED_CONTENDERS : [...INTERLEAVED_CONTENDERS].reverse();
        for (const name of order) {
          const { perSecond, p99Ms } = await timed(count, concurrency, () => run(clients[name]!, name, serial++));
          if (block === 0) continue;
          const kept = (result[scenario][name] ??= { perSecond: [], p99Ms: [] });
          kept.perSecond.push(perSecond);
          kept.p99Ms.push(p99Ms);
        }
      }
    }
  } finally {
    for (const client of Object.values(clients)) await client.close();
  }
  return result;
});
