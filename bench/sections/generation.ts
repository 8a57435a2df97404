// Generation: every 1.35 group/version from the recorded documents, kubetyped (cold, then unchanged) against
// openapi-typescript producing types only from the same documents. Each in a fresh process, timed spawn to exit.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { failureReason, runNode } from "../spawn.js";
import { parseResult } from "../workers/protocol.js";
import type { RunContext } from "./context.js";
import { existsSync } from "node:fs";

export const GENERATION_COLUMNS = ["kubetyped", "openapi-typescript"] as const;
export const FULL_GENERATION = "full 1.35 generation";
export const UNCHANGED_GENERATION = "regeneration, nothing changed";

export async function runGeneration(context: RunContext): Promise<void> {
  const id = "generation";
  context.collector.table(id, "Generation (all 1.35 group/versions from the recorded OpenAPI v3 documents)", GENERATION_COLUMNS, "kubetyped writes types and resource descriptors (formatted with prettier); openapi-typescript writes types only. Times include process start and imports.");
  const full = { scenario: FULL_GENERATION, metric: "time", unit: "ms", better: "lower" as const };
  const fullRss = { scenario: FULL_GENERATION, metric: "peak RSS", unit: "MB", better: "lower" as const };
  const unchanged = { scenario: UNCHANGED_GENERATION, metric: "time", unit: "ms", better: "lower" as const };
  if (!existsSync(context.openApiFolder)) {
    const reason = `${context.openApiFolder} is missing (the shared Kubernetes documents)`;
    for (const spec of [full, fullRss, unchanged]) for (const column of GENERATION_COLUMNS) context.collector.notApplicable(id, spec, column, reason);
    return;
  }
  const inProcess = { scenario: UNCHANGED_GENERATION, metric: "time inside generate() (no process start or imports)", unit: "ms", better: "lower" as const };
  const worker = join(context.benchDir, "workers", "generate.js");
  const generateOnce = async (tool: string, out: string) => {
    const finished = await runNode([worker, JSON.stringify({ tool, from: context.openApiFolder, out })], { cwd: context.root, timeoutMs: 300_000 });
    if (finished.code !== 0) throw new Error(failureReason(finished));
    return { wallMs: finished.wallMs, ...parseResult<{ ms: number; peakRssMb: number; groupVersions: number; reusedAll?: boolean }>(finished.stdout, `generation ${tool}`) };
  };
  for (let run = 1; run <= context.sizes.generationRuns; run++) {
    for (const tool of GENERATION_COLUMNS) {
      context.log(`generation: run ${run}/${context.sizes.generationRuns}, ${tool}`);
      const out = await mkdtemp(join(tmpdir(), `kubetyped-bench-gen-${tool}-`));
      try {
        const cold = await generateOnce(tool, join(out, "generated"));
        context.collector.add(id, full, tool, cold.wallMs);
        context.collector.add(id, fullRss, tool, cold.peakRssMb);
        if (tool === "kubetyped") {
          const again = await generateOnce(tool, join(out, "generated"));
          if (again.reusedAll === false) context.log("  note: the unchanged regeneration did not reuse the whole previous output");
          context.collector.add(id, unchanged, tool, again.wallMs);
          context.collector.add(id, inProcess, tool, again.ms);
          context.collector.notApplicable(id, unchanged, "openapi-typescript", "it has no incremental mode: every run is a full one");
          context.collector.notApplicable(id, inProcess, "openapi-typescript", "it has no incremental mode: every run is a full one");
          if (run === 1) context.log(`  kubetyped generated ${cold.groupVersions} group/versions`);
        }
      } catch (error) {
        const reason = `failed: ${(error as Error).message}`;
        context.log(`  ${reason}`);
        for (const spec of [full, fullRss, ...(tool === "kubetyped" ? [unchanged] : [])]) context.collector.notApplicable(id, spec, tool, reason);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    }
  }
}
