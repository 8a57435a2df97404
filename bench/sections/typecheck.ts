// Type-check cost: `tsc --noEmit` of the one-file list-pods program per client (strict, skipLibCheck).
import { join } from "node:path";
import { CONTENDERS } from "../contenders/index.js";
import { failureReason, runNode } from "../spawn.js";
import { parseResult } from "../workers/protocol.js";
import { contendersInTurn, type RunContext } from "./context.js";

export async function runTypecheck(context: RunContext): Promise<void> {
  const id = "typecheck";
  context.collector.table(id, "Type-check (tsc --noEmit, one-file list-pods program, strict + skipLibCheck)", CONTENDERS, "kubetyped's program checks the generated core/v1 and meta/v1 sources as a user's project would (they are .ts, so skipLibCheck does not skip them).");
  const time = { scenario: "list pods program", metric: "time", unit: "ms", better: "lower" as const };
  const memory = { scenario: "list pods program", metric: "peak RSS", unit: "MB", better: "lower" as const };
  for (let run = 1; run <= context.sizes.typecheckRuns; run++) {
    for (const contender of contendersInTurn(run)) {
      context.log(`typecheck: run ${run}/${context.sizes.typecheckRuns}, ${contender}`);
      const finished = await runNode([join(context.benchDir, "workers", "tsc.js"), context.workspace.typecheckProject(contender)], { cwd: context.root, timeoutMs: 180_000 });
      try {
        if (finished.code !== 0) throw new Error(`${failureReason(finished)} ${finished.stdout.slice(0, 300)}`);
        const result = parseResult<{ code: number; peakRssMb: number }>(finished.stderr, `tsc ${contender}`);
        context.collector.add(id, time, contender, finished.wallMs);
        context.collector.add(id, memory, contender, result.peakRssMb);
      } catch (error) {
        for (const spec of [time, memory]) context.collector.notApplicable(id, spec, contender, `failed: ${(error as Error).message}`);
      }
    }
  }
}
