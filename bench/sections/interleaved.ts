// Client overhead over raw undici with the machine's noise cancelled: both in one process, taking turns.
import { join } from "node:path";
import { INTERLEAVED_CONTENDERS, INTERLEAVED_SCENARIOS, type InterleavedResult, type InterleavedScenario } from "../plan.js";
import { failureReason, runNode } from "../spawn.js";
import { parseResult } from "../workers/protocol.js";
import type { RunContext } from "./context.js";

export const INTERLEAVED_TABLE = "requests-interleaved";

export async function runInterleaved(context: RunContext): Promise<void> {
  const labels: Record<InterleavedScenario, string> = {
    get: `get one pod, concurrency ${context.sizes.getConcurrency}`,
    list: `list ${context.sizes.listSize} pods`,
    create: "create a pod",
  };
  context.collector.table(
    INTERLEAVED_TABLE,
    "Client overhead over raw undici (canned server, one process, interleaved)",
    INTERLEAVED_CONTENDERS,
    `Both clients in one process take turns in ${context.sizes.interleaved.blocks} blocks each (after a warm-up block), so a load spike or CPU-frequency drift hits both: on a shared machine this is the precise answer to "what does kubetyped add over undici", which the per-process rows above can only bracket.`,
  );
  const throughput = (scenario: InterleavedScenario) => ({ scenario: labels[scenario], metric: "throughput", unit: "/s", better: "higher" as const });
  const p99 = (scenario: InterleavedScenario) => ({ scenario: labels[scenario], metric: "p99", unit: "ms", better: "lower" as const });
  context.log("interleaved: kubetyped and raw undici taking turns in one process");
  const job = { contender: "interleaved", target: context.canned.info, sizes: context.sizes, generatedCoreV1: context.workspace.generatedCoreV1, runTag: `${context.runTag}-interleaved` };
  const finished = await runNode([join(context.benchDir, "workers", "interleaved.js"), JSON.stringify(job)], { cwd: context.root, timeoutMs: 300_000 });
  let result: InterleavedResult;
  try {
    if (finished.code !== 0) throw new Error(failureReason(finished));
    result = parseResult<InterleavedResult>(finished.stdout, "interleaved worker");
  } catch (error) {
    const reason = `failed: ${(error as Error).message}`.slice(0, 300);
    for (const scenario of INTERLEAVED_SCENARIOS) {
      for (const contender of INTERLEAVED_CONTENDERS) for (const spec of [throughput, p99]) context.collector.notApplicable(INTERLEAVED_TABLE, spec(scenario), contender, reason);
    }
    return;
  }
  for (const scenario of INTERLEAVED_SCENARIOS) {
    for (const contender of INTERLEAVED_CONTENDERS) {
      const blocks = result[scenario][contender];
      for (const value of blocks?.perSecond ?? []) context.collector.add(INTERLEAVED_TABLE, throughput(scenario), contender, value);
      for (const value of blocks?.p99Ms ?? []) context.collector.add(INTERLEAVED_TABLE, p99(scenario), contender, value);
    }
  }
}
