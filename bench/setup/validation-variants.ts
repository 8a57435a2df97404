// The list-pods program twice over core/v1 generated with and without validators (.tmp/bench/validators/<variant>), compiled to run, bundle and type-check.
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { transform } from "esbuild";
import { generate } from "../../generator/generate.js";
import { PROGRAM_SOURCES } from "../programs/sources.js";
import { COMPILER_OPTIONS } from "./workspace.js";

/** Column names of the side-by-side table, in the order they are set up. */
export const VALIDATOR_VARIANTS = ["--no-validators", "validators (default)"] as const;
export type ValidatorVariant = (typeof VALIDATOR_VARIANTS)[number];

export interface VariantFolder {
  variant: ValidatorVariant;
  /** The program's TypeScript source (bundled) and its JavaScript beside it (run). */
  programTs: string;
  programJs: string;
  /** A tsconfig that type-checks only the program (and what it imports). */
  typecheckProject: string;
  /** `node --import <this> program.js` prints `LOADED <url>` for each module Node loads. */
  moduleCounter: string;
}

/** A module-loading hook (Node's `module.register`) that names each module Node loads, on stderr. */
const COUNTER_HOOKS = `export async function load(url, context, next) {
  process.stderr.write("LOADED " + url + "\\n");
  return next(url, context);
}
`;
const COUNTER_REGISTER = `import { register } from "node:module";
register("./count-modules-hooks.mjs", import.meta.url);
`;

/** Generates core/v1 from `from` once per variant and compiles the generated modules and the program next to them. */
export async function prepareVariants(options: { dir: string; from: string; log: (line: string) => void }): Promise<VariantFolder[]> {
  await rm(options.dir, { recursive: true, force: true });
  await mkdir(options.dir, { recursive: true });
  const moduleCounter = join(options.dir, "count-modules.mjs");
  await writeFile(moduleCounter, COUNTER_REGISTER);
  await writeFile(join(options.dir, "count-modules-hooks.mjs"), COUNTER_HOOKS);
  const folders: VariantFolder[] = [];
  for (const variant of VALIDATOR_VARIANTS) {
    const dir = join(options.dir, variant === "--no-validators" ? "without" : "with");
    const result = await generate({ from: options.from, out: join(dir, "generated"), groups: ["core/v1"], validators: variant !== "--no-validators" });
    options.log(`validators bench: ${variant}: ${result.files} files generated`);
    await mkdir(join(dir, "programs"), { recursive: true });
    await writeFile(join(dir, "programs", "kubetyped.ts"), PROGRAM_SOURCES["kubetyped"]!);
    await compileTree(dir);
    const project = join(dir, "tsconfig.json");
    await writeFile(project, JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, noEmit: true }, files: ["programs/kubetyped.ts"] }, null, 2));
    folders.push({ variant, programTs: join(dir, "programs", "kubetyped.ts"), programJs: join(dir, "programs", "kubetyped.js"), typecheckProject: project, moduleCounter });
  }
  return folders;
}

/** Every `.ts` below `dir` as the `.js` beside it (type-stripped only: the specifiers already end in `.js`). */
export async function compileTree(dir: string): Promise<void> {
  for (const file of await readdir(dir, { recursive: true })) {
    if (!file.endsWith(".ts")) continue;
    const source = join(dir, file);
    const output = await transform(await readFile(source, "utf8"), { loader: "ts", format: "esm", target: "node20" });
    await writeFile(source.replace(/\.ts$/, ".js"), output.code);
  }
}
