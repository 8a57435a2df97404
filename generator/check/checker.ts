// One way to type-check the project whichever TypeScript it has: its compiler API in this process, or its own tsc.
import path from "node:path";
import type { ts } from "ts-morph";
import { createOverlay, identityOverlay } from "./overlay.js";
import { typecheckWithTsc } from "./tsc-cli.js";
import {
  createSourceFileCache,
  loadBundledTypeScript,
  loadTypeScript,
  typecheckProject,
  unreadableConfig,
  type LoadedTypeScript,
  type ProjectDiagnostic,
  type TypeScript,
} from "./typecheck.js";

export interface ProjectChecker {
  /** Which TypeScript checks, as the report names it: `5.9.3 (/p/node_modules/typescript/lib/typescript.js)`. */
  readonly compiler: string;
  /** The project's errors with the generated folder as it is. */
  baseline(): Promise<ProjectDiagnostic[]>;
  /** The project's errors with the generated folder's files read from `replacement`. */
  against(replacement: string): Promise<ProjectDiagnostic[]>;
  /** The project as it is as a program, to explain errors by the code they point at; undefined where none can be built. */
  baselineProgram(): Promise<{ typescript: TypeScript; program: ts.Program } | undefined>;
}

/** The checker for the project `tsconfig` names, whose generated folder is `out`. */
export async function createProjectChecker(tsconfig: string, out: string): Promise<ProjectChecker> {
  const loaded = await loadTypeScript(path.dirname(tsconfig));
  if ("typescript" in loaded) return apiChecker(loaded, tsconfig, out);
  let explaining: Promise<{ typescript: TypeScript; program: ts.Program } | undefined> | undefined;
  return {
    compiler: `${loaded.version} (its tsc: ${loaded.script})`,
    baseline: async () => refuseConfigErrors(await typecheckWithTsc(loaded, tsconfig, out), tsconfig),
    against: (replacement) => typecheckWithTsc(loaded, tsconfig, out, replacement),
    // This tsc has no API: the bundled TypeScript reads the project to find what an error's code uses.
    baselineProgram: () => (explaining ??= bundledProgram(tsconfig, out)),
  };
}

function apiChecker(loaded: LoadedTypeScript, tsconfig: string, out: string): ProjectChecker {
  const { typescript, libFiles } = loaded;
  const cache = createSourceFileCache(typescript);
  let baseline: ReturnType<typeof typecheckProject> | undefined;
  return {
    compiler: `${typescript.version} (${loaded.from})`,
    async baseline() {
      baseline = typecheckProject(typescript, tsconfig, identityOverlay(typescript, out, libFiles), cache);
      return baseline.diagnostics;
    },
    against: async (replacement) => typecheckProject(typescript, tsconfig, createOverlay(typescript, out, replacement, libFiles), cache).diagnostics,
    baselineProgram: async () => (baseline === undefined ? undefined : { typescript, program: baseline.program }),
  };
}

/**
 * tsc reports a tsconfig it cannot read (`tsconfig.json(1,40): error TS1005`, `error TS5023: Unknown compiler
 * option`) as errors like any other: the same in every run, they would not count, and the verdict would be
 * "compatible". They are the check's own failure, as the compiler API path finds too.
 */
function refuseConfigErrors(diagnostics: ProjectDiagnostic[], tsconfig: string): ProjectDiagnostic[] {
  const ofConfig = diagnostics.filter((diagnostic) =>
    diagnostic.file === undefined ? diagnostic.code >= 5000 && diagnostic.code < 6000 : path.resolve(diagnostic.file) === path.resolve(tsconfig),
  );
  if (ofConfig.length > 0) throw unreadableConfig(tsconfig, ofConfig.map((diagnostic) => `${diagnostic.file === undefined ? "" : `line ${diagnostic.line}: `}${diagnostic.message}`));
  return diagnostics;
}

async function bundledProgram(tsconfig: string, out: string): Promise<{ typescript: TypeScript; program: ts.Program } | undefined> {
  const { typescript, libFiles } = await loadBundledTypeScript();
  try {
    return { typescript, program: typecheckProject(typescript, tsconfig, identityOverlay(typescript, out, libFiles), createSourceFileCache(typescript), { diagnostics: false }).program };
  } catch {
    // A configuration only the newer compiler reads: errors are explained from their messages alone.
    return undefined;
  }
}
