// Request scenarios: each contender in a fresh process per round and target; rounds interleave contenders
// so a load spike on the shared machine hits all of them, not one.
import { join } from "node:path";
import { CONTENDERS } from "../contenders/index.js";
import { failureReason, runNode } from "../spawn.js";
import { parseResult, type ScenarioResult } from "../workers/protocol.js";
import { REQUEST_SCENARIOS, watchBurstSize, type RequestScenario, type TargetInfo } from "../plan.js";
import { contendersInTurn, targetsOf, type RunContext } from "./context.js";

const SCENARIO_LABELS = (context: RunContext, target: TargetInfo["id"]): Record<RequestScenario, string> => ({
  get: `get one pod, concurrency ${context.sizes.getConcurrency}`,
  list: `list ${context.sizes.listSize} pods`,
  create: "create a pod",
  apply: "server-side apply a pod",
  watch: `watch a burst of ${watchBurstSize(context.sizes, target).toLocaleString("en-US")} changes`,
});

const tableId = (target: string) => `requests-${target}`;

export async function runRequestScenarios(context: RunContext): Promise<void> {
  for (const target of targetsOf(context)) {
    const note =
      target.id === "canned"
        ? "Answers are serialized once up front, so these rows are client overhead: what each client adds on top of the socket."
        : "The real API server with etcd on the same loaded machine: its own cost is in every number, so ratios shrink toward 1.";
    const title = target.id === "canned" ? "Requests against the canned HTTPS server" : `Requests against ${"unavailable" in target ? "kube-apiserver" : target.started.info.label}`;
    context.collector.table(tableId(target.id), title, CONTENDERS, note);
  }
  for (let round = 1; round <= context.sizes.rounds; round++) {
    for (const target of targetsOf(context)) {
      const labels = SCENARIO_LABELS(context, target.id);
      for (const contender of contendersInTurn(round)) {
        if ("unavailable" in target) {
          for (const scenario of REQUEST_SCENARIOS) recordNa(context, target.id, labels[scenario], scenario, contender, `no local control plane: ${target.unavailable}`);
          continue;
        }
        context.log(`requests: round ${round}/${context.sizes.rounds}, ${target.id}, ${contender}`);
        const job = { contender, target: target.started.info, sizes: context.sizes, generatedCoreV1: context.workspace.generatedCoreV1, runTag: `${context.runTag}-${round}`, scenarios: REQUEST_SCENARIOS };
        const finished = await runNode([join(context.benchDir, "workers", "requests.js"), JSON.stringify(job)], { cwd: context.root, timeoutMs: 180_000 });
        let results: Partial<Record<RequestScenario, ScenarioResult>>;
        try {
          if (finished.code !== 0) throw new Error(failureReason(finished));
          results = parseResult(finished.stdout, `requests worker ${contender}`);
        } catch (error) {
          const reason = `failed: ${(error as Error).message}`;
          for (const scenario of REQUEST_SCENARIOS) recordNa(context, target.id, labels[scenario], scenario, contender, reason);
          context.log(`  ${reason}`);
          continue;
        }
        for (const scenario of REQUEST_SCENARIOS) {
          const result = results[scenario] ?? { na: "the worker gave no answer" };
          if ("na" in result) {
            recordNa(context, target.id, labels[scenario], scenario, contender, result.na);
            context.log(`  ${scenario}: ${result.na}`);
            continue;
          }
          const m = result.metrics;
          const id = tableId(target.id);
          if (scenario === "watch") {
            context.collector.add(id, { scenario: labels[scenario], metric: "events/s", unit: "/s", better: "higher" }, contender, m.eventsPerSecond!);
          } else {
            context.collector.add(id, { scenario: labels[scenario], metric: "throughput", unit: "/s", better: "higher" }, contender, m.perSecond!);
            context.collector.add(id, { scenario: labels[scenario], metric: "p50", unit: "ms", better: "lower" }, contender, m.p50Ms!);
            context.collector.add(id, { scenario: labels[scenario], metric: "p99", unit: "ms", better: "lower" }, contender, m.p99Ms!);
          }
        }
      }
      if (!("unavailable" in target)) await target.started.resetWrites();
    }
  }
}

function recordNa(context: RunContext, target: string, label: string, scenario: RequestScenario, contender: string, reason: string): void {
  const id = tableId(target);
  const metrics = scenario === "watch" ? [["events/s", "/s", "higher"]] : [["throughput", "/s", "higher"], ["p50", "ms", "lower"], ["p99", "ms", "lower"]];
  for (const [metric, unit, better] of metrics) context.collector.notApplicable(id, { scenario: label, metric: metric!, unit: unit!, better: better as "lower" | "higher" }, contender, reason);
}
