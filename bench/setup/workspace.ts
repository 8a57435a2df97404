// The bench's scratch folder (.tmp/bench, gitignored): core/v1 generated from the target, the per-client
// programs, and their compiled JS. Inside the repo so `kubetyped/runtime` resolves by package self-reference.
import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { generate } from "../../generator/generate.js";
import { loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { PROGRAM_SOURCES } from "../programs/sources.js";

const run = promisify(execFile);

export interface Workspace {
  dir: string;
  /** Compiled generated module the kubetyped contender imports. */
  generatedCoreV1: string;
  programTs(contender: string): string;
  programJs(contender: string): string;
  /** A tsconfig that type-checks only that contender's program. */
  typecheckProject(contender: string): string;
  /** Where generation came from: the target cluster, or the recorded 1.35 documents. */
  generatedFrom: string;
}

/** The compiler options a user of each client would have: strict, NodeNext, skipLibCheck. */
export const COMPILER_OPTIONS = {
  target: "ES2022",
  lib: ["ES2023"],
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  types: ["node"],
};

export async function prepareWorkspace(options: { root: string; dir: string; kubeconfigPath?: string; openApiFolder: string; log: (line: string) => void }): Promise<Workspace> {
  const dir = options.dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "programs"), { recursive: true });
  const out = join(dir, "generated");
  const source = options.kubeconfigPath
    ? { connection: await loadKubeconfig({ kubeconfig: options.kubeconfigPath }), generatedFrom: "the local kube-apiserver" }
    : { from: options.openApiFolder, generatedFrom: options.openApiFolder };
  const { generatedFrom, ...where } = source;
  const result = await generate({ ...where, out, groups: ["core/v1"] });
  options.log(`generated ${result.groupVersions.join(", ")} from ${generatedFrom} in ${Math.round(result.durationMs)} ms`);

  for (const [contender, text] of Object.entries(PROGRAM_SOURCES)) await writeFile(join(dir, "programs", `${contender}.ts`), text);
  const tsconfig = (files: string[], extra: Record<string, unknown>) => JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, ...extra }, files }, null, 2);
  await writeFile(join(dir, "tsconfig.json"), tsconfig([...Object.keys(PROGRAM_SOURCES).map((c) => `programs/${c}.ts`), ...result.groupVersions.map((gv) => `generated/${gv}.ts`)], { outDir: "js", rootDir: "." }));
  for (const contender of Object.keys(PROGRAM_SOURCES)) await writeFile(join(dir, `typecheck-${contender}.json`), tsconfig([`programs/${contender}.ts`], { noEmit: true }));
  const tsc = join(options.root, "node_modules", "typescript", "bin", "tsc");
  await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { cwd: options.root }).catch((error: { stdout?: string }) => {
    throw new Error(`the bench programs or the generated core/v1 do not compile (${join(dir, "tsconfig.json")}):\n${error.stdout ?? String(error)}`);
  });
  return {
    dir,
    generatedFrom,
    generatedCoreV1: join(dir, "js", "generated", "core", "v1.js"),
    programTs: (contender) => join(dir, "programs", `${contender}.ts`),
    programJs: (contender) => join(dir, "js", "programs", `${contender}.js`),
    typecheckProject: (contender) => join(dir, `typecheck-${contender}.json`),
  };
}
