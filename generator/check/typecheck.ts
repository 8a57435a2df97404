// Type-checks the user's project with its own tsconfig and TypeScript, reading through a folder overlay.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ts } from "ts-morph";
import type { FolderOverlay } from "./overlay.js";

export type TypeScript = typeof ts;

/** One error of the project, where it is and what TypeScript says. */
export interface ProjectDiagnostic {
  /** Absolute path; undefined for errors of the configuration or options. */
  file?: string;
  /** 1-based line and column. */
  line: number;
  column: number;
  /** Offset in the file, for finding the code it points at. */
  start?: number;
  code: number;
  message: string;
}

/** A project's tsconfig could not be read, or names nothing to check. */
export class ProjectError extends Error {
  override readonly name = "ProjectError";
}

/** A TypeScript to check with, and the `lib` files it has only in memory (ts-morph's bundled one), by path. */
export interface LoadedTypeScript {
  typescript: TypeScript;
  from: string;
  libFiles: ReadonlyMap<string, string>;
}

/** The project's `tsc` script and the version of the TypeScript it belongs to. */
export interface TscBinary {
  script: string;
  version: string;
}

/**
 * The project's own `typescript` (resolved from the tsconfig's folder, so errors are those its build sees):
 * its compiler API, or its `tsc` where it has none (TypeScript 7); else the TypeScript ts-morph bundles.
 */
export async function loadTypeScript(projectDir: string): Promise<LoadedTypeScript | TscBinary> {
  const required = createRequire(path.join(projectDir, "package.json"));
  let own: Partial<TypeScript> & { version?: string };
  try {
    own = required("typescript") as typeof own;
  } catch {
    return loadBundledTypeScript();
  }
  if (typeof own.createProgram === "function") return { typescript: own as TypeScript, from: required.resolve("typescript"), libFiles: new Map() };
  return findTsc(required, own.version);
}

/** The TypeScript ts-morph bundles, whose `lib.*.d.ts` files live in memory (@ts-morph/common). */
export async function loadBundledTypeScript(): Promise<LoadedTypeScript> {
  const { ts } = await import("ts-morph");
  const common = createRequire(createRequire(import.meta.url).resolve("ts-morph"))("@ts-morph/common") as { getLibFiles(): Array<{ fileName: string; text: string }> };
  const libDir = path.dirname(ts.getDefaultLibFilePath({}));
  const libFiles = new Map(common.getLibFiles().map((file) => [path.join(libDir, file.fileName), file.text]));
  return { typescript: ts, from: "the TypeScript bundled with kubetyped (ts-morph)", libFiles };
}

function findTsc(required: NodeJS.Require, version: string | undefined): TscBinary {
  const manifestFile = required.resolve("typescript/package.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { version?: string; bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.["tsc"];
  if (bin === undefined) {
    throw new ProjectError(`${manifestFile}: this typescript has neither a compiler API nor a tsc command; install typescript@5 or newer in the project`);
  }
  return { script: path.join(path.dirname(manifestFile), bin), version: version ?? manifest.version ?? "unknown" };
}

/** The errors of the project `tsconfig` names, read through `overlay`; the program too, for looking up what they point at. */
export function typecheckProject(
  typescript: TypeScript,
  tsconfig: string,
  overlay: FolderOverlay,
  parsed: SourceFileCache,
  { diagnostics: wanted = true }: { diagnostics?: boolean } = {},
): { program: ts.Program; diagnostics: ProjectDiagnostic[] } {
  const config = readConfig(typescript, tsconfig, overlay);
  // Only checking: nothing may be written (no emit, no .tsbuildinfo), whatever the project's options say.
  const options: ts.CompilerOptions = { ...config.options, noEmit: true, incremental: false, composite: false, emitDeclarationOnly: false };
  delete options.tsBuildInfoFile;
  const host = typescript.createCompilerHost(options);
  Object.assign(host, {
    fileExists: overlay.fileExists,
    readFile: overlay.readFile,
    directoryExists: overlay.directoryExists,
    getDirectories: overlay.getDirectories,
    realpath: overlay.realpath,
    getSourceFile: (fileName: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions) => parsed.get(fileName, languageVersion, overlay.readFile(fileName)),
  });
  const program = typescript.createProgram({
    rootNames: config.fileNames,
    options,
    host,
    ...(config.projectReferences === undefined ? {} : { projectReferences: config.projectReferences }),
  });
  if (!wanted) return { program, diagnostics: [] };
  const diagnostics = typescript.getPreEmitDiagnostics(program).filter((diagnostic) => diagnostic.category === typescript.DiagnosticCategory.Error);
  return { program, diagnostics: diagnostics.map((diagnostic) => describeDiagnostic(typescript, diagnostic)) };
}

/** Parsed files shared by the programs of one check: `lib` and `@types` are parsed once, not once per program. */
export interface SourceFileCache {
  get(fileName: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions, text: string | undefined): ts.SourceFile | undefined;
}

export function createSourceFileCache(typescript: TypeScript): SourceFileCache {
  const files = new Map<string, ts.SourceFile>();
  return {
    get(fileName, languageVersion, text) {
      if (text === undefined) return undefined;
      const mode = typeof languageVersion === "object" ? `${languageVersion.languageVersion}/${languageVersion.impliedNodeFormat ?? ""}` : String(languageVersion);
      const key = `${fileName}\u0000${mode}`;
      const cached = files.get(key);
      if (cached !== undefined && cached.text === text) return cached;
      // Parents set while parsing: explaining an error walks up from the node it points at.
      const file = typescript.createSourceFile(fileName, text, languageVersion, true);
      files.set(key, file);
      return file;
    },
  };
}

function readConfig(typescript: TypeScript, tsconfig: string, overlay: FolderOverlay): ts.ParsedCommandLine {
  const problems: string[] = [];
  const parsed = typescript.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      useCaseSensitiveFileNames: typescript.sys.useCaseSensitiveFileNames,
      getCurrentDirectory: () => path.dirname(tsconfig),
      fileExists: overlay.fileExists,
      readFile: overlay.readFile,
      readDirectory: overlay.readDirectory,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => problems.push(typescript.flattenDiagnosticMessageText(diagnostic.messageText, "\n")),
    },
  );
  // The config's syntax errors live on its source file, not in `errors`: a truncated tsconfig parses to
  // defaults otherwise, and every target looks compatible. getConfigFileParsingDiagnostics has both.
  const diagnostics = parsed === undefined ? [] : typescript.getConfigFileParsingDiagnostics(parsed);
  const errors = [...problems, ...diagnostics.map((diagnostic) => describeConfigDiagnostic(typescript, diagnostic))];
  if (parsed === undefined || errors.length > 0) throw unreadableConfig(tsconfig, errors);
  return parsed;
}

/** A tsconfig with errors of its own: checking on would read it as defaults, alike for every target. */
export function unreadableConfig(tsconfig: string, errors: readonly string[]): ProjectError {
  const what = errors.map((error) => error.replace(/\.$/, "")).join("; ") || "cannot be read";
  return new ProjectError(`${tsconfig}: ${what}; fix it (check reads the project as its build does), or pass the project's tsconfig with --project FILE`);
}

/** `line 3: '}' expected.`: where in the tsconfig, when the diagnostic says. */
function describeConfigDiagnostic(typescript: TypeScript, diagnostic: ts.Diagnostic): string {
  const message = typescript.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (diagnostic.file === undefined || diagnostic.start === undefined) return message;
  return `line ${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1}: ${message}`;
}

function describeDiagnostic(typescript: TypeScript, diagnostic: ts.Diagnostic): ProjectDiagnostic {
  const message = typescript.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (diagnostic.file === undefined || diagnostic.start === undefined) return { line: 0, column: 0, code: diagnostic.code, message };
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { file: path.resolve(diagnostic.file.fileName), line: line + 1, column: character + 1, start: diagnostic.start, code: diagnostic.code, message };
}

/** A stable identity of an error, to tell the ones the swap brought from those the project has anyway. */
export function diagnosticKey(diagnostic: ProjectDiagnostic): string {
  return `${diagnostic.file ?? ""}:${diagnostic.line}:${diagnostic.column}:${diagnostic.code}:${diagnostic.message}`;
}
