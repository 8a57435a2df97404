// The TypeScript compilers a user may have (the project's 5.x and the native 7), each run as a user runs it: its own
// `tsc` over a tsconfig.json, its printed diagnostics parsed (TypeScript 7's JS API is marked unstable; its tsc is not).
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { USER_TSCONFIG_OPTIONS } from "../../corpus/support/typecheck.js";
import type { Reported } from "./compiler.js";

const require = createRequire(import.meta.url);

/** One installed compiler: the package it comes from, its version and its `tsc`. */
export interface Compiler {
  /** `TypeScript 5.9.3`: how a failing assertion names it. */
  label: string;
  bin: string;
}

export function compilerOf(packageName: string): Compiler {
  const manifest = require.resolve(`${packageName}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  return { label: `TypeScript ${version}`, bin: path.join(path.dirname(manifest), "bin", "tsc") };
}

/** The project's own compiler (`typescript`, 5.x) and the native one (`typescript7`). */
export const COMPILERS: readonly Compiler[] = [compilerOf("typescript"), compilerOf("typescript7")];

/** Writes `dir/tsconfig.json`: the strict user project of USER_TSCONFIG_OPTIONS (plus `extra`) over `files` (names in `dir`). */
export async function writeUserTsconfig(dir: string, files: readonly string[], extra: Record<string, unknown> = {}): Promise<void> {
  await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...USER_TSCONFIG_OPTIONS, ...extra }, files }, null, 2));
}

// `file(line,col): error TS1234: first message`, then the rest of the chain on indented lines.
const HEAD = /^(.+?)\((\d+),\d+\): error TS\d+: (.*)$/;

/** Parses `tsc --pretty false` output into each file's diagnostics (keyed by the file name as printed), in order. */
export function parseTscOutput(output: string): Map<string, Reported[]> {
  const byFile = new Map<string, Reported[]>();
  let last: Reported | undefined;
  for (const line of output.split("\n")) {
    const head = HEAD.exec(line);
    if (head) {
      last = { line: Number(head[2]), first: head[3]!, full: head[3]! };
      byFile.set(head[1]!, [...(byFile.get(head[1]!) ?? []), last]);
    } else if (last && line.startsWith(" ")) last.full += `\n${line.trim()}`;
    else if (line.trim() !== "") throw new Error(`tsc printed a line that is no diagnostic: ${line}`);
  }
  return byFile;
}

/** Runs `compiler` over `dir/tsconfig.json` once and answers each file's diagnostics. */
export function compileWith(compiler: Compiler, dir: string): Promise<Map<string, Reported[]>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [compiler.bin, "-p", dir, "--pretty", "false"], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // A failing exit status with diagnostics printed means "errors found" (2 from 5.x, 1 from 7): the mistakes have them by design.
      try {
        const reported = parseTscOutput(stdout);
        if (error && reported.size === 0) throw new Error(`failed: ${error.message}\n${stderr}`);
        resolve(reported);
      } catch (failure) {
        reject(new Error(`${compiler.label}: ${(failure as Error).message}`));
      }
    });
  });
}
