import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";

// Parent of one detached control-plane process, so that someone reaps it: once `local-cluster up` has exited, the
// process would be orphaned to PID 1, and an init that reaps no orphans (some container and VM inits) then keeps an
// exited kube-apiserver as a zombie. Signals are passed on; a child that ignores SIGTERM for 8 s is killed.
const REAPER_SOURCE = `
const { spawn } = require("child_process");
const { constants } = require("os");
const [command, ...args] = process.argv.slice(1);
const child = spawn(command, args, { stdio: "inherit" });
child.on("error", (error) => { console.error("cannot start " + command + ": " + error.message); process.exit(127); });
child.on("exit", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
for (const name of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.on(name, () => { child.kill(name); setTimeout(() => child.kill("SIGKILL"), 8000).unref(); });
}
`;

/**
 * Starts `command` with stdout and stderr appended to `logFile`; resolves once the OS has spawned it. A detached
 * command runs under a small reaper (its pid is the reaper's), so it never outlives its exit as a zombie.
 */
export async function spawnLogged(
  command: string,
  args: string[],
  options: { logFile: string; detached: boolean; env?: NodeJS.ProcessEnv },
): Promise<ChildProcess> {
  const fd = openSync(options.logFile, "a", 0o600);
  const [file, argv]: [string, string[]] = options.detached ? [process.execPath, ["-e", REAPER_SOURCE, command, ...args]] : [command, args];
  try {
    const child = spawn(file, argv, {
      detached: options.detached,
      stdio: ["ignore", fd, fd],
      env: options.env ?? process.env,
    });
    await new Promise<void>((resolveSpawn, reject) => {
      child.once("spawn", resolveSpawn);
      child.once("error", (error) => reject(new Error(`cannot start ${command}: ${error.message}`)));
    });
    // Neither the test runner nor `local-cluster up` should wait on these children to exit.
    child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

/** True while `pid` runs; a zombie (exited, not yet reaped) counts as gone. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    // Field 3 of /proc/PID/stat, after the parenthesised command name, is the state.
    const text = readFileSync(stat, "utf8");
    return text.slice(text.lastIndexOf(")") + 2, text.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/**
 * Whether `pid` still runs a command line containing `marker` (our state folder), so a pid reused by
 * an unrelated process after a reboot is never signalled. Without /proc we cannot tell and trust it.
 */
export function processMatches(pid: number, marker: string): boolean {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync("/proc/self/cmdline")) return isProcessAlive(pid);
  try {
    return readFileSync(cmdline, "utf8").split("\0").join(" ").includes(marker);
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminateProcess(pid: number, graceMs = 10_000): Promise<void> {
  if (!isProcessAlive(pid)) return;
  signal(pid, "SIGTERM");
  if (await waitForExit(pid, graceMs)) return;
  signal(pid, "SIGKILL");
  if (!(await waitForExit(pid, 5_000))) {
    throw new Error(`process ${pid} survived SIGKILL for 5 s; check it with \`ps -p ${pid}\``);
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((wake) => setTimeout(wake, 50));
  }
  return !isProcessAlive(pid);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/** The last `count` lines of a log file, for error messages; empty when it cannot be read. */
export async function tailFile(file: string, count = 20): Promise<string> {
  try {
    const handle = await open(file, "r");
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 64 * 1024);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return buffer.toString("utf8").trimEnd().split("\n").slice(-count).join("\n");
    } finally {
      await handle.close();
    }
  } catch {
    return "";
  }
}

// A separate process, so it outlives even a SIGKILLed parent: it polls the parent and, once it is
// gone, stops the children and removes their folder. It exits by itself when the children are gone.
const WATCHDOG_SOURCE = `
const fs = require("fs");
const [parentArg, dir, ...pidArgs] = process.argv.slice(1);
const parent = Number(parentArg), pids = pidArgs.map(Number);
const zombie = (pid) => { try { const s = fs.readFileSync("/proc/" + pid + "/stat", "utf8"); return s[s.lastIndexOf(")") + 2] === "Z"; } catch { return false; } };
const alive = (pid) => { try { process.kill(pid, 0); } catch (e) { return e.code === "EPERM"; } return !zombie(pid); };
const kill = (pid, sig) => { try { process.kill(pid, sig); } catch {} };
const finish = () => { try { fs.rmSync(dir, { recursive: true, force: true }); } catch {} process.exit(0); };
const timer = setInterval(() => {
  const running = pids.filter(alive);
  if (running.length === 0 && alive(parent)) process.exit(0);
  if (alive(parent)) return;
  clearInterval(timer);
  running.forEach((pid) => kill(pid, "SIGTERM"));
  const deadline = Date.now() + 5000;
  setInterval(() => {
    if (!running.some(alive)) finish();
    if (Date.now() > deadline) { running.forEach((pid) => kill(pid, "SIGKILL")); setTimeout(finish, 200); }
  }, 100);
}, 500);
`;

/**
 * Makes `children` die with this process and `dir` disappear: SIGKILL from an 'exit' handler covers
 * normal and process.exit() endings, a detached watchdog covers SIGKILL and crashes.
 * Returns a function that disarms both (after a regular stop).
 */
export function killWithParent(children: ChildProcess[], dir: string): () => void {
  const pids = children.map((child) => child.pid).filter((pid): pid is number => pid !== undefined);
  const onExit = () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) signal(child.pid!, "SIGKILL");
    }
    removeFolderQuietly(dir);
  };
  process.on("exit", onExit);
  const watchdog = spawn(process.execPath, ["-e", WATCHDOG_SOURCE, String(process.pid), dir, ...pids.map(String)], {
    detached: true,
    stdio: "ignore",
  });
  watchdog.on("error", () => {});
  watchdog.unref();
  return () => {
    process.off("exit", onExit);
    if (watchdog.pid !== undefined && watchdog.exitCode === null) signal(watchdog.pid, "SIGTERM");
  };
}

/** Removes a folder synchronously, ignoring errors (used from 'exit' handlers). */
export function removeFolderQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Best effort: the folder is under the temp dir.
  }
}
