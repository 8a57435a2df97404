// Cold start: a fresh `node program.js` per run: import the client, read the kubeconfig, list pods once.
import { CONTENDERS } from "../contenders/index.js";
import { failureReason, runNode } from "../spawn.js";
import { parseResult } from "../workers/protocol.js";
import { contendersInTurn, type RunContext } from "./context.js";

export async function runColdStart(context: RunContext): Promise<void> {
  const id = "cold-start";
  context.collector.table(id, "Cold start (fresh process: import, read kubeconfig, list pods once)", CONTENDERS, "Against the canned server. Times are from process start, so Node's own start-up (one empty `node -e` is reported in the notes) is in every cell.");
  const time = { scenario: "list pods once", metric: "import + first request", unit: "ms", better: "lower" as const };
  const rss = { scenario: "list pods once", metric: "RSS after the request", unit: "MB", better: "lower" as const };
  const wall = { scenario: "list pods once", metric: "process wall time (spawn to exit)", unit: "ms", better: "lower" as const };
  for (let run = 1; run <= context.sizes.coldRuns; run++) {
    for (const contender of contendersInTurn(run)) {
      const finished = await runNode([context.workspace.programJs(contender)], {
        cwd: context.root,
        env: { ...process.env, KUBECONFIG: context.canned.info.kubeconfigPath },
        timeoutMs: 60_000,
      });
      try {
        if (finished.code !== 0) throw new Error(failureReason(finished));
        const result = parseResult<{ items: number; ms: number; rssMb: number }>(finished.stdout, `cold start ${contender}`);
        if (result.items !== context.sizes.listSize) throw new Error(`listed ${result.items} pods, expected ${context.sizes.listSize}`);
        context.collector.add(id, time, contender, result.ms);
        context.collector.add(id, rss, contender, result.rssMb);
        context.collector.add(id, wall, contender, finished.wallMs);
      } catch (error) {
        for (const spec of [time, rss, wall]) context.collector.notApplicable(id, spec, contender, `failed: ${(error as Error).message}`);
      }
    }
  }
}

/** Node's own start-up on this machine, for the notes. */
export async function emptyNodeStartMs(root: string): Promise<number> {
  const finished = await runNode(["-e", "console.log(performance.now())"], { cwd: root, timeoutMs: 30_000 });
  return Number(finished.stdout.trim());
}
