// Type-checks with the project's own `tsc` where its TypeScript has no compiler API (TypeScript 7's native compiler).
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ProjectError, type ProjectDiagnostic, type TscBinary } from "./typecheck.js";

const run = promisify(execFile);

/**
 * Errors of the project `tsconfig` names, with `folder` read from `replacement` (or as it is): `tsc` runs
 * in a mirror of the file system made of symlinks, in which only the path to `folder` is rebuilt, so module
 * resolution, `package.json` lookups and `node_modules` stay what they are, and nothing in the project is
 * written. Paths come back as the project's own.
 */
export async function typecheckWithTsc(tsc: TscBinary, tsconfig: string, folder: string, replacement?: string): Promise<ProjectDiagnostic[]> {
  const mirror = await mirrorFileSystem(path.resolve(folder), replacement ?? path.resolve(folder));
  try {
    const cwd = mirror.inside(path.dirname(tsconfig));
    const args = [tsc.script, "-p", mirror.inside(tsconfig), "--noEmit", "--pretty", "false", "--incremental", "false", "--composite", "false"];
    const { code, stdout, stderr } = await runTsc(args, cwd);
    // tsc names files relative to the folder it runs in, as the operating system reports it.
    const realCwd = await realpath(cwd);
    const diagnostics = parseTscOutput(stdout, (file) => mirror.outside(path.resolve(realCwd, file)));
    if (code !== 0 && diagnostics.length === 0) throw new ProjectError(`${tsconfig}: tsc ${tsc.version} exited ${code}: ${(stderr || stdout).trim() || "no output"}`);
    return withOffsets(diagnostics);
  } finally {
    await mirror.dispose();
  }
}

async function runTsc(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd, maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof failure.code === "number" ? failure.code : -1, stdout: failure.stdout ?? "", stderr: failure.stderr ?? failure.message };
  }
}

interface Mirror {
  /** Where a real path is in the mirror. */
  inside(file: string): string;
  /** The real path a path of the mirror stands for (paths tsc resolved through a symlink are real already). */
  outside(file: string): string;
  dispose(): Promise<void>;
}

/**
 * A folder standing for `/`: each folder on the way to `folder` is a real folder whose other entries are
 * symlinks to the real ones, and `folder` itself is a symlink to `replacement`.
 */
async function mirrorFileSystem(folder: string, replacement: string): Promise<Mirror> {
  const scratch = await mkdtemp(path.join(tmpdir(), "kubetyped-tsc-"));
  const root = path.join(scratch, "root");
  const { root: fsRoot } = path.parse(folder);
  const steps = path.relative(fsRoot, folder).split(path.sep);
  let real = fsRoot;
  for (const [index, step] of steps.entries()) {
    const mirrored = path.join(root, path.relative(fsRoot, real));
    await mkdir(mirrored, { recursive: true });
    for (const entry of await readdir(real)) {
      if (entry !== step) await symlink(path.join(real, entry), path.join(mirrored, entry));
    }
    real = path.join(real, step);
    if (index === steps.length - 1) await symlink(replacement, path.join(mirrored, step), "dir");
  }
  return {
    inside: (file) => path.join(root, path.relative(fsRoot, path.resolve(file))),
    outside: (file) => {
      const relative = path.relative(root, file);
      return relative.startsWith("..") || path.isAbsolute(relative) ? file : path.join(fsRoot, relative);
    },
    dispose: () => rm(scratch, { recursive: true, force: true }),
  };
}

/**
 * `tsc --pretty false` output: `file(line,col): error TS1234: message`, the message's chain on the indented
 * lines below it; `error TS5083: ...` for the configuration.
 */
export function parseTscOutput(output: string, resolveFile: (file: string) => string): ProjectDiagnostic[] {
  const diagnostics: ProjectDiagnostic[] = [];
  for (const line of output.split(/\r?\n/)) {
    const located = /^(.+)\((\d+),(\d+)\): error TS(\d+): (.*)$/.exec(line);
    const global = located === null ? /^error TS(\d+): (.*)$/.exec(line) : null;
    if (located !== null) {
      const [, file, row, column, code, message] = located;
      diagnostics.push({ file: resolveFile(file!), line: Number(row), column: Number(column), code: Number(code), message: message! });
    } else if (global !== null) {
      diagnostics.push({ line: 0, column: 0, code: Number(global[1]), message: global[2]! });
    } else if (line.startsWith("  ") && diagnostics.length > 0) {
      diagnostics.at(-1)!.message += `\n${line.slice(2)}`;
    }
  }
  return diagnostics;
}

/** Offsets from line and column, for explaining an error by the code it points at. */
async function withOffsets(diagnostics: ProjectDiagnostic[]): Promise<ProjectDiagnostic[]> {
  const texts = new Map<string, string | undefined>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.file === undefined) continue;
    if (!texts.has(diagnostic.file)) texts.set(diagnostic.file, await readFile(diagnostic.file, "utf8").catch(() => undefined));
    const text = texts.get(diagnostic.file);
    if (text === undefined) continue;
    let offset = 0;
    for (let row = 1; row < diagnostic.line; row++) offset = text.indexOf("\n", offset) + 1;
    diagnostic.start = offset + diagnostic.column - 1;
  }
  return diagnostics;
}
