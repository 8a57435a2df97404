// Memory scenarios: one fresh process per contender, scenario and target, so peak RSS is that client's alone.
import { join } from "node:path";
import { CONTENDERS } from "../contenders/index.js";
import { failureReason, runNode } from "../spawn.js";
import { parseResult, type ScenarioResult } from "../workers/protocol.js";
import { MEMORY_SCENARIOS } from "../plan.js";
import { contendersInTurn, targetsOf, type RunContext } from "./context.js";

export async function runMemoryScenarios(context: RunContext): Promise<void> {
  const count = context.sizes.bigCount.toLocaleString("en-US");
  const labels: Record<(typeof MEMORY_SCENARIOS)[number], string> = {
    "list-paginated": `list ${count} pods, pages of ${context.sizes.pageSize}`,
    informer: `informer holding ${count} pods`,
  };
  context.collector.table("memory", "Memory (peak RSS of a fresh process)", CONTENDERS, "Peak RSS includes Node itself (about 40–50 MB). Informer: the client's list-then-watch cache, synced; fluent-client's Watcher caches internally but exposes no store, so its row keeps the callbacks' objects in a Map (references to the same objects).");
  for (let round = 1; round <= context.sizes.memoryRounds; round++) {
    for (const target of targetsOf(context)) {
      for (const scenario of MEMORY_SCENARIOS) {
        const spec = { scenario: `${labels[scenario]} (${target.id})`, metric: "peak RSS", unit: "MB", better: "lower" as const };
        for (const contender of contendersInTurn(round)) {
          if ("unavailable" in target) {
            context.collector.notApplicable("memory", spec, contender, `no local control plane: ${target.unavailable}`);
            continue;
          }
          context.log(`memory: round ${round}/${context.sizes.memoryRounds}, ${target.id}, ${scenario}, ${contender}`);
          const job = { contender, target: target.started.info, sizes: context.sizes, generatedCoreV1: context.workspace.generatedCoreV1, runTag: context.runTag, scenario };
          const finished = await runNode(["--expose-gc", join(context.benchDir, "workers", "memory.js"), JSON.stringify(job)], { cwd: context.root, timeoutMs: 120_000 });
          let result: ScenarioResult;
          try {
            if (finished.code !== 0) throw new Error(failureReason(finished));
            result = parseResult(finished.stdout, `memory worker ${contender}`);
          } catch (error) {
            result = { na: `failed: ${(error as Error).message}` };
          }
          if ("na" in result) {
            context.collector.notApplicable("memory", spec, contender, result.na);
            continue;
          }
          context.collector.add("memory", spec, contender, result.metrics.peakRssMb!);
          if (scenario === "informer") {
            context.collector.add("memory", { ...spec, metric: "heap held after sync + GC" }, contender, result.metrics.heldHeapMb!);
          }
          context.collector.add("memory", { ...spec, metric: "time to finish (list) / sync (informer)", unit: "ms" }, contender, result.metrics.ms!);
        }
      }
    }
  }
}
