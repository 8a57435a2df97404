// One TypeScript language service over a folder of files beside generated modules: its completions are what the editor
// would offer, in the strict user project the corpus's `tsc` runs check too.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { USER_TSCONFIG_OPTIONS } from "../../corpus/support/typecheck.js";

const projectRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The compiler options of a strict user project (test/corpus/support/typecheck.ts), for the language service. */
const USER_PROJECT_OPTIONS: ts.CompilerOptions = ts.convertCompilerOptionsFromJson(USER_TSCONFIG_OPTIONS, projectRoot).options;

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
