import { spawn } from "node:child_process";

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit, as the parent saw it. */
  wallMs: number;
}

/** Runs `node ...args` in a fresh process and collects its output; kills it after `timeoutMs`. */
export function runNode(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (signal === "SIGKILL") stderr += `\n(killed after ${options.timeoutMs} ms)`;
      resolve({ code, stdout, stderr, wallMs });
    });
  });
}

/** The last lines of a failed child's stderr, for one-line reasons. */
export function failureReason(finished: Finished): string {
  const text = finished.stderr.trim().split("\n").filter(Boolean).slice(-3).join(" / ");
  return `exit ${finished.code}: ${text}`.slice(0, 300);
}
