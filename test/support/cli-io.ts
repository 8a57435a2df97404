// What CLI tests read: the output a person would see, and a generated folder's files.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { CliIo } from "../../generator/cli/main.js";
import { listTree } from "../../generator/write/index.js";

/** A CliIo that keeps what the command printed (not a terminal: plain progress lines, no colour). */
export function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text), env, stderrIsTty: false };
  return io;
}

/** Every file of a folder (relative POSIX path → text), for comparing two generations byte for byte. */
export async function readTree(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of await listTree(folder)) files[file] = await readFile(path.join(folder, file), "utf8");
  return files;
}
