// A program that never validates, with core/v1 generated without and with validators side by side: cold start, bundle and type-check.
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { prepareVariants, VALIDATOR_VARIANTS, type VariantFolder } from "../setup/validation-variants.js";
import { failureReason, runNode } from "../spawn.js";
import { parseResult } from "../workers/protocol.js";
import type { RunContext } from "./context.js";

const ID = "validators-unused";
const SCENARIO = "list pods program";
const ROWS = {
  cold: { scenario: SCENARIO, metric: "cold start: import + first request", unit: "ms", better: "lower" as const },
  rss: { scenario: SCENARIO, metric: "cold start: RSS after the request", unit: "MB", better: "lower" as const },
  oneFile: { scenario: SCENARIO, metric: "bundle, one file (minified)", unit: "KB", better: "lower" as const },
  oneFileGzip: { scenario: SCENARIO, metric: "bundle, one file (minified + gzip)", unit: "KB", better: "lower" as const },
  atStart: { scenario: SCENARIO, metric: "bundle --splitting: loaded at start (minified)", unit: "KB", better: "lower" as const },
  modulesAtStart: { scenario: SCENARIO, metric: "bundle --splitting: source files loaded at start", unit: "files", better: "lower" as const },
  lazy: { scenario: SCENARIO, metric: "bundle --splitting: loaded only on a dynamic import() (minified)", unit: "KB", better: "lower" as const },
  typecheck: { scenario: SCENARIO, metric: "tsc --noEmit", unit: "ms", better: "lower" as const },
  modules: { scenario: SCENARIO, metric: "Node, unbundled: ES modules loaded by the run", unit: "modules", better: "lower" as const },
};

export async function runValidatorsUnused(context: RunContext): Promise<void> {
  context.collector.table(
    ID,
    "A program that never validates: core/v1 generated with --no-validators and with validators (the default)",
    VALIDATOR_VARIANTS,
    "The list-pods program of the cold-start and bundle sections, over core/v1 of the recorded 1.35 documents; cold start against the canned server. Descriptors point at <group>/<version>.validate.ts through a dynamic import(): a bundler that splits (esbuild --splitting, webpack, Rollup) keeps it out of what loads at start, one that writes one file inlines it.",
  );
  const variants = await prepareVariants({ dir: join(context.workspace.dir, "validators"), from: context.openApiFolder, log: context.log });
  for (const variant of variants) await measureBundles(context, variant);
  for (const variant of variants) await countModules(context, variant);
  for (let run = 1; run <= context.sizes.coldRuns; run++) {
    // Each run starts with the other variant, so a load spike does not always land on the same one.
    for (const variant of run % 2 === 1 ? variants : [...variants].reverse()) await measureColdStart(context, variant);
  }
  for (let run = 1; run <= context.sizes.typecheckRuns; run++) {
    for (const variant of run % 2 === 1 ? variants : [...variants].reverse()) await measureTypecheck(context, variant);
  }
}

async function measureColdStart(context: RunContext, variant: VariantFolder): Promise<void> {
  const finished = await runNode([variant.programJs], { cwd: context.root, env: { ...process.env, KUBECONFIG: context.canned.info.kubeconfigPath }, timeoutMs: 60_000 });
  try {
    if (finished.code !== 0) throw new Error(failureReason(finished));
    const result = parseResult<{ items: number; ms: number; rssMb: number }>(finished.stdout, `cold start ${variant.variant}`);
    if (result.items !== context.sizes.listSize) throw new Error(`listed ${result.items} pods, expected ${context.sizes.listSize}`);
    context.collector.add(ID, ROWS.cold, variant.variant, result.ms);
    context.collector.add(ID, ROWS.rss, variant.variant, result.rssMb);
  } catch (error) {
    for (const spec of [ROWS.cold, ROWS.rss]) context.collector.notApplicable(ID, spec, variant.variant, `failed: ${(error as Error).message}`);
  }
}

/** Every module Node loads to run the program (a count that load on the machine cannot blur). */
async function countModules(context: RunContext, variant: VariantFolder): Promise<void> {
  const env = { ...process.env, KUBECONFIG: context.canned.info.kubeconfigPath };
  const finished = await runNode(["--import", variant.moduleCounter, variant.programJs], { cwd: context.root, env, timeoutMs: 60_000 });
  const loaded = new Set(finished.stderr.split("\n").filter((line) => line.startsWith("LOADED ")));
  if (finished.code === 0 && loaded.size > 0) context.collector.add(ID, ROWS.modules, variant.variant, loaded.size);
  else context.collector.notApplicable(ID, ROWS.modules, variant.variant, `failed: ${failureReason(finished)}`);
}

async function measureTypecheck(context: RunContext, variant: VariantFolder): Promise<void> {
  const finished = await runNode([join(context.benchDir, "workers", "tsc.js"), variant.typecheckProject], { cwd: context.root, timeoutMs: 180_000 });
  if (finished.code === 0) context.collector.add(ID, ROWS.typecheck, variant.variant, finished.wallMs);
  else context.collector.notApplicable(ID, ROWS.typecheck, variant.variant, `failed: ${failureReason(finished)} ${finished.stdout.slice(0, 200)}`);
}

/** esbuild as the bundle section runs it, in one file and with --splitting (where only the entry and its static imports load at start). */
async function measureBundles(context: RunContext, variant: VariantFolder): Promise<void> {
  const common = {
    entryPoints: [variant.programTs],
    bundle: true,
    minify: true,
    platform: "node" as const,
    format: "esm" as const,
    target: "node20",
    write: false,
    logLevel: "silent" as const,
    // `kubetyped/runtime` and `kubetyped/runtime/validate` resolve through the package's exports, as in a user's project.
    absWorkingDir: context.root,
  };
  try {
    const bundled = (await build(common)).outputFiles![0]!.contents;
    context.collector.add(ID, ROWS.oneFile, variant.variant, bundled.byteLength / 1024);
    context.collector.add(ID, ROWS.oneFileGzip, variant.variant, gzipSync(bundled, { level: 9 }).byteLength / 1024);
    const split = await build({ ...common, splitting: true, metafile: true, outdir: join(context.workspace.dir, "validators", "split") });
    const sizes = splitSizes(split.metafile);
    context.collector.add(ID, ROWS.atStart, variant.variant, sizes.atStart / 1024);
    context.collector.add(ID, ROWS.modulesAtStart, variant.variant, sizes.filesAtStart);
    context.collector.add(ID, ROWS.lazy, variant.variant, sizes.lazy / 1024);
  } catch (error) {
    const reason = `esbuild failed: ${(error as Error).message.split("\n")[0]}`.slice(0, 300);
    for (const spec of [ROWS.oneFile, ROWS.oneFileGzip, ROWS.atStart, ROWS.modulesAtStart, ROWS.lazy]) context.collector.notApplicable(ID, spec, variant.variant, reason);
  }
}

/** The entry chunk and the chunks it imports statically (what loads at start), and the rest (loaded by a dynamic import). */
export function splitSizes(metafile: Metafile): { atStart: number; filesAtStart: number; lazy: number } {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((name) => outputs[name]!.entryPoint !== undefined);
  if (entry === undefined) throw new Error("esbuild wrote no entry chunk");
  const atStart = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (atStart.has(name)) continue;
    atStart.add(name);
    pending.push(...outputs[name]!.imports.filter((entry) => entry.kind === "import-statement" && !entry.external).map((entry) => entry.path));
  }
  const bytes = (names: string[]) => names.reduce((sum, name) => sum + outputs[name]!.bytes, 0);
  const files = new Set([...atStart].flatMap((name) => Object.keys(outputs[name]!.inputs)));
  return { atStart: bytes([...atStart]), filesAtStart: files.size, lazy: bytes(Object.keys(outputs).filter((name) => !atStart.has(name))) };
}
