import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { GeneratedFile } from "../../../generator/emit/index.js";

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL("../../../", import.meta.url));
const tscBin = path.join(projectRoot, "node_modules", "typescript", "bin", "tsc");

/** `kubetyped/runtime` and its subpath exports (`/controller`, `/plumbing`, ...) mapped to the runtime's source, as package.json maps them in dist/. */
export const RUNTIME_PATHS: Readonly<Record<string, string[]>> = {
  "kubetyped/runtime": [path.join(projectRoot, "runtime", "index.ts")],
  "kubetyped/runtime/*": [path.join(projectRoot, "runtime", "entries", "*.ts")],
};

export async function writeFiles(dir: string, files: readonly GeneratedFile[]): Promise<void> {
  for (const file of files) {
    const target = path.join(dir, ...file.path.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
}

/**
 * The compiler options of a strict user project, as a tsconfig.json writes them (ESM, NodeNext, `kubetyped/runtime`
 * mapped to the repository's runtime source). Only .d.ts files are skipped; generated .ts files are always checked.
 */
export const USER_TSCONFIG_OPTIONS = {
  target: "ES2022",
  lib: ["ES2023"],
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  types: ["node"],
  typeRoots: [path.join(projectRoot, "node_modules", "@types")],
  paths: RUNTIME_PATHS,
};

/**
 * Type-checks every `.ts` below `dir` in one strict program (USER_TSCONFIG_OPTIONS, unused locals refused).
 * Returns tsc's diagnostics; empty means zero errors.
 */
export async function typecheckFolder(dir: string): Promise<string> {
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  const tsconfig = { compilerOptions: { ...USER_TSCONFIG_OPTIONS, noUnusedLocals: true }, include: ["**/*.ts"] };
  await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  try {
    await run(process.execPath, [tscBin, "-p", dir, "--pretty", "false"], { maxBuffer: 64 * 1024 * 1024, cwd: dir });
    return "";
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ""}${stderr ?? ""}` || String(error);
  }
}
