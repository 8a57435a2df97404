// Child process: every request scenario for one contender against one target, in a fresh process.
import { loadContender } from "../contenders/index.js";
import type { ContenderClient } from "../contenders/types.js";
import { podManifest } from "../fixtures.js";
import { GET_POD, NAMESPACES, watchBurstSize, type RequestScenario, type WorkerContext } from "../plan.js";
import { sendPatchBurst } from "../targets/burst.js";
import { readJob, runWorker, type ScenarioResult } from "./protocol.js";
import { timed } from "./timed.js";
import { measureWatches } from "./watch-measure.js";


interface Job extends WorkerContext {
  scenarios: RequestScenario[];
}

async function runScenario(client: ContenderClient, job: Job, scenario: RequestScenario): Promise<ScenarioResult> {
  const { sizes, runTag, contender } = job;
  // Warm-up runs long enough for every contender's hot path to be compiled: a few requests only measured
  // how fast V8 optimizes each client (cold start has its own section), not what each client costs per request.
  const warm = (n: number) => Math.max(2, Math.round(n / 10));
  const { warmupMs, measureMs } = sizes;
  switch (scenario) {
    case "get": {
      const get = () => client.getPod(NAMESPACES.read, GET_POD);
      await timed(warm(sizes.getRequests), sizes.getConcurrency, get, warmupMs);
      return { metrics: await timed(sizes.getRequests, sizes.getConcurrency, get, measureMs) };
    }
    case "list": {
      const check = await client.listPods(NAMESPACES.read);
      if (check !== sizes.listSize) throw new Error(`list: expected ${sizes.listSize} pods in ${NAMESPACES.read}, got ${check}`);
      await timed(2, 1, () => client.listPods(NAMESPACES.read), warmupMs);
      return { metrics: await timed(sizes.listRepeats, 1, () => client.listPods(NAMESPACES.read), measureMs) };
    }
    case "create": {
      const name = (phase: string, i: number) => `c-${contender}-${runTag}-${phase}-${i}`;
      await timed(warm(sizes.writes), 1, (i) => client.createPod(NAMESPACES.write, podManifest(name("w", i))), warmupMs);
      return { metrics: await timed(sizes.writes, 1, (i) => client.createPod(NAMESPACES.write, podManifest(name("m", i))), measureMs) };
    }
    case "apply": {
      const name = `a-${contender}-${runTag}`;
      await timed(warm(sizes.writes), 1, (i) => client.applyPod(NAMESPACES.write, podManifest(name, `w${i}`)), warmupMs);
      return { metrics: await timed(sizes.writes, 1, (i) => client.applyPod(NAMESPACES.write, podManifest(name, `m${i}`)), measureMs) };
    }
    case "watch": {
      const trigger = job.target.id === "apiserver" ? () => sendPatchBurst(job.target.kubeconfigPath, watchBurstSize(sizes, job.target.id)) : undefined;
      const { eventsPerSecond } = await measureWatches(client, { namespace: NAMESPACES.watch, watches: 1, expectedPerWatch: watchBurstSize(sizes, job.target.id), ...(trigger && { trigger }) });
      return { metrics: { eventsPerSecond } };
    }
  }
}

runWorker(async () => {
  const job = readJob<Job>();
  const client = await (await loadContender(job.contender))({ kubeconfigPath: job.target.kubeconfigPath, generatedCoreV1: job.generatedCoreV1 });
  const results: Partial<Record<RequestScenario, ScenarioResult>> = {};
  try {
    for (const scenario of job.scenarios) {
      try {
        results[scenario] = await runScenario(client, job, scenario);
      } catch (error) {
        results[scenario] = { na: `failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300) };
      }
    }
  } finally {
    await client.close();
  }
  return results;
});
