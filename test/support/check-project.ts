// A small project for `kubetyped check`: one TypeScript file over a generated folder, kubetyped/runtime from this repository's source.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RUNTIME_PATHS } from "../corpus/support/typecheck.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Writes `package.json`, `tsconfig.json` and `src/main.ts` (`program`) into `project`; the generated folder is
 * for the caller (`src/k8s`). By default `kubetyped/runtime/plumbing` resolves to the module declaring `defineResource`,
 * the one name a generated module imports (and `/validate` to its entry, for the validator modules) (type-checking the whole runtime triples a check's time), and no
 * `@types` are read: a program that calls the runtime or Node passes `withRuntimeAndNode`.
 */
export async function writeCheckProject(project: string, program: string, { withRuntimeAndNode = false } = {}): Promise<{ tsconfig: string; out: string }> {
  const compilerOptions = {
    target: "ES2022",
    module: "node16",
    moduleResolution: "node16",
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    ...(withRuntimeAndNode ? { types: ["node"], typeRoots: [path.join(repo, "node_modules", "@types")] } : { types: [] }),
    paths: withRuntimeAndNode
      ? RUNTIME_PATHS
      : { "kubetyped/runtime/plumbing": [path.join(repo, "runtime", "api", "descriptor.ts")], "kubetyped/runtime/validate": [path.join(repo, "runtime", "entries", "validate.ts")] },
  };
  await mkdir(path.join(project, "src"), { recursive: true });
  await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  await writeFile(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src"] }, null, 2));
  await writeFile(path.join(project, "src", "main.ts"), program);
  return { tsconfig: path.join(project, "tsconfig.json"), out: path.join(project, "src", "k8s") };
}
