// `npm run bench [-- --quick] [--kubeconfig PATH] [--out DIR] [--workdir DIR] [--only requests,interleaved,memory,cbor,validation-cost,validators-unused,...] [--no-apiserver]`:
// every scenario, every contender, both targets, in one run on one machine; prints the table and writes
// bench/results/latest.{md,json}.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findProjectRoot } from "../local-cluster/index.js";
import { CONTENDER_LABELS } from "./contenders/index.js";
import { crossRowGoals, goalsFor } from "./goals.js";
import { FULL, QUICK } from "./plan.js";
import { renderJson, renderMarkdown, type RunInfo } from "./report.js";
import { ResultCollector } from "./results.js";
import { runBundle } from "./sections/bundle.js";
import { runCbor } from "./sections/cbor.js";
import { emptyNodeStartMs, runColdStart } from "./sections/cold-start.js";
import type { RunContext } from "./sections/context.js";
import { runGeneration } from "./sections/generation.js";
import { runMemoryScenarios } from "./sections/memory.js";
import { runInterleaved } from "./sections/interleaved.js";
import { runPortForward } from "./sections/port-forward.js";
import { runRequestScenarios } from "./sections/requests.js";
import { runScale, SCALE_PARTS } from "./sections/scale.js";
import { runTypecheck } from "./sections/typecheck.js";
import { runValidationCost } from "./sections/validation-cost.js";
import { runValidatorsUnused } from "./sections/validators-unused.js";
import { startApiserverTarget, startCannedTarget } from "./setup/targets.js";
import { prepareWorkspace } from "./setup/workspace.js";

export const SECTIONS = {
  requests: runRequestScenarios,
  interleaved: runInterleaved,
  memory: runMemoryScenarios,
  "cold-start": runColdStart,
  bundle: runBundle,
  typecheck: runTypecheck,
  generation: runGeneration,
  scale: runScale,
  "port-forward": runPortForward,
  cbor: runCbor,
  "validation-cost": runValidationCost,
  "validators-unused": runValidatorsUnused,
} as const;
/** What `--only` accepts: the sections, and the scale section's parts alone. */
const RUNNABLE = { ...SECTIONS, ...SCALE_PARTS };
type SectionName = keyof typeof RUNNABLE;

interface Args {
  quick: boolean;
  kubeconfig?: string;
  out?: string;
  only: SectionName[];
  apiserver: boolean;
  /** Scratch folder inside the repo (package self-reference needs that); default .tmp/bench. */
  workdir?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: Object.keys(SECTIONS) as SectionName[], apiserver: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--quick") args.quick = true;
    else if (arg === "--no-apiserver") args.apiserver = false;
    else if (arg === "--kubeconfig") args.kubeconfig = resolve(value());
    else if (arg === "--out") args.out = resolve(value());
    else if (arg === "--workdir") args.workdir = resolve(value());
    else if (arg === "--only") {
      const names = value().split(",");
      const unknown = names.filter((n) => !(n in RUNNABLE));
      if (unknown.length) throw new Error(`--only: unknown section ${unknown.join(", ")}; expected some of ${Object.keys(RUNNABLE).join(",")}`);
      args.only = names as SectionName[];
    } else throw new Error(`unknown argument ${arg}; usage: npm run bench -- [--quick] [--kubeconfig PATH] [--out DIR] [--workdir DIR] [--only ${Object.keys(RUNNABLE).join(",")}] [--no-apiserver]`);
  }
  return args;
}

async function packageVersion(root: string, name: string): Promise<string> {
  try {
    return (JSON.parse(await readFile(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const started = performance.now();
  const log = (line: string) => process.stderr.write(`» ${line}\n`);
  const root = findProjectRoot();
  const benchDir = dirname(fileURLToPath(import.meta.url));
  const sizes = args.quick ? QUICK : FULL;
  const openApiFolder = join(root, "..", "shared", "k8s", "openapi-v3", "1.35");
  const loadAverage = loadavg();
  const notes: string[] = [];

  const canned = await startCannedTarget(sizes);
  let apiserver: RunContext["apiserver"];
  if (!args.apiserver) apiserver = { unavailable: "skipped with --no-apiserver" };
  else {
    try {
      apiserver = await startApiserverTarget(sizes, log, args.kubeconfig);
    } catch (error) {
      apiserver = { unavailable: (error as Error).message.split("\n")[0]!.slice(0, 200) };
      log(`no kube-apiserver target: ${apiserver.unavailable}`);
    }
  }
  try {
    const workspace = await prepareWorkspace({ root, dir: args.workdir ?? join(root, ".tmp", "bench"), ...(!("unavailable" in apiserver) && { kubeconfigPath: apiserver.info.kubeconfigPath }), openApiFolder, log });
    const collector = new ResultCollector();
    const context: RunContext = { root, benchDir, sizes, quick: args.quick, collector, workspace, canned, apiserver, openApiFolder, log, runTag: Date.now().toString(36) };
    for (const name of args.only) {
      const sectionStarted = performance.now();
      log(`— ${name}`);
      await RUNNABLE[name](context);
      log(`— ${name} took ${Math.round((performance.now() - sectionStarted) / 1000)} s`);
    }
    notes.push(`An empty \`node -e\` reaches its first line ${Math.round(await emptyNodeStartMs(root))} ms after process start on this machine.`);
    if (args.quick) notes.push(`--quick: ${sizes.bigCount} objects in the memory rows instead of 10,000, one run per cell; a smoke test, not a measurement.`);

    const tables = collector.tables(goalsFor);
    crossRowGoals(tables, sizes);
    const versions: Record<string, string> = { kubetyped: (JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string }).version };
    for (const name of ["undici", "@kubernetes/client-node", "client-node-0", "kubernetes-fluent-client", "openapi-typescript", "typescript", "esbuild"]) versions[name] = await packageVersion(root, name);
    const info: RunInfo = {
      date: new Date().toISOString(),
      mode: args.quick ? "quick" : "full",
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? "unknown CPU",
        memoryGb: Math.round(totalmem() / 2 ** 30),
        loadAverage,
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
      },
      versions,
      targets: [canned.info.label, "unavailable" in apiserver ? `kube-apiserver: n/a (${apiserver.unavailable})` : apiserver.info.label],
      durationS: (performance.now() - started) / 1000,
      notes,
    };
    const markdown = renderMarkdown(tables, info, { ...CONTENDER_LABELS });
    const out = args.out ?? join(root, "bench", "results");
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "latest.md"), markdown);
    await writeFile(join(out, "latest.json"), renderJson(tables, info));
    process.stdout.write(markdown);
    log(`wrote ${join(out, "latest.md")} and latest.json in ${Math.round(info.durationS)} s`);
  } finally {
    await canned.stop();
    if (!("unavailable" in apiserver)) await apiserver.stop();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`kubetyped bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
