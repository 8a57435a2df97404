// Watches at scale on the canned server: many watches in one fresh process (events/s and peak RSS), and watch
// decoding measured with the clients taking turns in one process (the goals: noise cancels out of the ratio).
import { join } from "node:path";
import { NAMESPACES, type DecodingResult } from "../../plan.js";
import { failureReason, runNode } from "../../spawn.js";
import { parseResult, type ScenarioResult } from "../../workers/protocol.js";
import { contendersInTurn, type RunContext } from "../context.js";

export const SCALE_WATCHES_TABLE = "scale-watches";
export const SCALE_DECODING_TABLE = "scale-watch-decoding";
export const SCALE_WATCH_COLUMNS = ["kubetyped", "undici", "client-node-1"] as const;


export async function runScaleWatches(context: RunContext): Promise<void> {
  const { watches, burstPerWatch } = context.sizes.scale;
  const label = `${watches} watches at once, a burst of ${burstPerWatch.toLocaleString("en-US")} changes each`;
  context.collector.table(
    SCALE_WATCHES_TABLE,
    `Scale: ${watches} concurrent watches (canned server, fresh process per run)`,
    SCALE_WATCH_COLUMNS,
    "Each watch sees the synthetic ADDED of a watch without resourceVersion; once every one has, the server releases the same burst to all of them at once. Events/s over all watches, first to last change.",
  );
  const events = { scenario: label, metric: "events/s", unit: "/s", better: "higher" as const };
  const memory = { scenario: label, metric: "peak RSS", unit: "MB", better: "lower" as const };
  const rounds = context.quick ? 1 : 2;
  for (let round = 1; round <= rounds; round++) {
    for (const contender of contendersInTurn(round).filter((name) => (SCALE_WATCH_COLUMNS as readonly string[]).includes(name))) {
      context.log(`scale: ${watches} watches, round ${round}/${rounds}, ${contender}`);
      const job = { contender, target: context.canned.info, sizes: context.sizes, generatedCoreV1: context.workspace.generatedCoreV1, runTag: context.runTag, namespace: NAMESPACES.manyWatches, watches, burstPerWatch };
      const finished = await runNode([join(context.benchDir, "workers", "watches.js"), JSON.stringify(job)], { cwd: context.root, timeoutMs: 300_000 });
      let result: ScenarioResult;
      try {
        if (finished.code !== 0) throw new Error(failureReason(finished));
        result = parseResult<ScenarioResult>(finished.stdout, `watches worker ${contender}`);
      } catch (error) {
        result = { na: `failed: ${(error as Error).message}` };
      }
      if ("na" in result) {
        for (const spec of [events, memory]) context.collector.notApplicable(SCALE_WATCHES_TABLE, spec, contender, result.na);
        continue;
      }
      context.collector.add(SCALE_WATCHES_TABLE, events, contender, result.metrics.eventsPerSecond!);
      context.collector.add(SCALE_WATCHES_TABLE, memory, contender, result.metrics.peakRssMb!);
    }
  }
}

/** Row names the goals find the rows by. */
export const decodingRows = {
  single: (events: number) => `one watch, a burst of ${events.toLocaleString("en-US")} changes`,
  many: (watches: number, events: number) => `${watches} watches at once, ${events.toLocaleString("en-US")} changes each`,
};

export async function runWatchDecoding(context: RunContext): Promise<void> {
  const { watches, burstPerWatch, decodingBlocks } = context.sizes.scale;
  const rows = { single: decodingRows.single(context.sizes.cannedWatchEvents), many: decodingRows.many(watches, burstPerWatch) };
  context.collector.table(
    SCALE_DECODING_TABLE,
    "Scale: watch decoding (canned server, the clients taking turns in one process)",
    SCALE_WATCH_COLUMNS,
    `kubetyped, raw undici and client-node 1.x watch the same bursts in one process, ${decodingBlocks} turns each after a warm-up turn, each turn starting with the next client: a load spike on the shared machine hits all three, so their ratio is the decoding cost, not the noise.`,
  );
  const spec = (scenario: string) => ({ scenario, metric: "events/s", unit: "/s", better: "higher" as const });
  context.log("scale: watch decoding, the three clients taking turns in one process");
  const job = {
    contender: "interleaved",
    target: context.canned.info,
    sizes: context.sizes,
    generatedCoreV1: context.workspace.generatedCoreV1,
    runTag: context.runTag,
    contenders: SCALE_WATCH_COLUMNS,
    blocks: decodingBlocks,
    single: { expected: context.sizes.cannedWatchEvents },
    many: { watches, burstPerWatch },
  };
  const finished = await runNode([join(context.benchDir, "workers", "watch-decoding.js"), JSON.stringify(job)], { cwd: context.root, timeoutMs: 900_000 });
  let result: DecodingResult;
  try {
    if (finished.code !== 0) throw new Error(failureReason(finished));
    result = parseResult<DecodingResult>(finished.stdout, "watch-decoding worker");
  } catch (error) {
    for (const scenario of Object.values(rows)) for (const contender of SCALE_WATCH_COLUMNS) context.collector.notApplicable(SCALE_DECODING_TABLE, spec(scenario), contender, `failed: ${(error as Error).message}`.slice(0, 300));
    return;
  }
  for (const key of ["single", "many"] as const) {
    for (const contender of SCALE_WATCH_COLUMNS) for (const perSecond of result[key][contender] ?? []) context.collector.add(SCALE_DECODING_TABLE, spec(rows[key]), contender, perSecond);
  }
}
