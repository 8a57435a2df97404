// One TypeScript language service over a folder of files beside generated modules: its completions are what the editor
// would offer. The options of the strict user project it checks, shared with the `tsc` runs of support/tsc.ts.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const projectRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The compiler options of a strict user project (as test/corpus/support/typecheck.ts), `kubetyped/runtime` mapped to the source. */
export const USER_PROJECT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  types: ["node"],
  typeRoots: [path.join(projectRoot, "node_modules", "@types")],
  paths: { "kubetyped/runtime": [path.join(projectRoot, "runtime", "index.ts")] },
};

/** A language service over `files` (absolute paths); other files (generated modules, the runtime) load as imported. */
export function languageService(files: readonly string[]): ts.LanguageService {
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [...files],
    getScriptVersion: () => "1",
    getScriptSnapshot: (file) => (existsSync(file) ? ts.ScriptSnapshot.fromString(readFileSync(file, "utf8")) : undefined),
    getCurrentDirectory: () => path.dirname(files[0]!),
    getCompilationSettings: () => USER_PROJECT_OPTIONS,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  return ts.createLanguageService(host, ts.createDocumentRegistry());
}

/** One diagnostic as a user reads it: its line (1-based), the first message (the chain's head) and the whole text. */
export interface Reported {
  line: number;
  first: string;
  full: string;
}
