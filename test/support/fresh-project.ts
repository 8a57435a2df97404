// A fresh npm project outside this repository, with the packed tarball installed: what a new user has.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const exec = promisify(execFile);
export const root = fileURLToPath(new URL("../..", import.meta.url));
export const npm = process.platform === "win32" ? "npm.cmd" : "npm";
export const npx = process.platform === "win32" ? "npx.cmd" : "npx";
export const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
export const installedVersion = (name: string) => (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; resolves with its exit code and output either way (tests assert on failures too). */
export async function sh(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): Promise<Outcome> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeout ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof failure.code === "number" ? failure.code : -1, stdout: failure.stdout ?? "", stderr: failure.stderr ?? failure.message };
  }
}

export const show = (outcome: Outcome) => `exit ${outcome.code}\nstdout:\n${outcome.stdout}\nstderr:\n${outcome.stderr}`;

/** An environment like a user's shell: no npm_* variables of the `npm test` running us, a HOME of its own. */
export function userEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|KUBECONFIG$|KUBERNETES_SERVICE_|NODE_OPTIONS$|VITEST|TEST$)/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    // The user's own npm cache, so installing needs no network for what this machine already fetched.
    npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? home, ".npm"),
    KUBETYPED_CACHE_DIR: join(home, ".cache", "kubetyped"),
    ...extra,
  };
}

/** The tarball, packed once per run into its own temp folder (removed when the worker exits). */
let packing: Promise<{ tarball: string; files: string[] }> | undefined;
export function packOnce(): Promise<{ tarball: string; files: string[] }> {
  packing ??= (async () => {
    const runtimeEntry = join(root, "dist", "runtime", "index.js");
    if (!existsSync(runtimeEntry)) throw new Error(`${runtimeEntry} is missing: run the suite with npm test, which builds first (or npm run build)`);
    const dir = await mkdtemp(join(tmpdir(), "kubetyped-pack-"));
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
    // npm test has just built dist/; the prepack build would rewrite files other tests run from.
    const outcome = await sh(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root });
    if (outcome.code !== 0) throw new Error(`npm pack failed: ${show(outcome)}`);
    const [packed] = JSON.parse(outcome.stdout) as { filename: string; files: { path: string }[] }[];
    return { tarball: join(dir, packed!.filename), files: packed!.files.map((file) => file.path) };
  })();
  return packing;
}


/** What a new user copies from README.md's Quick start: its command lines (comments dropped) and its files by the path each names. */
export function readmeQuickStart(): { commands: string[]; files: Record<string, string> } {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = /^## Quick start.*$([\s\S]*?)^## /m.exec(readme)?.[1];
  if (section === undefined) throw new Error("README.md has no Quick start section");
  const commands: string[] = [];
  const files: Record<string, string> = {};
  for (const [, language, body] of section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)) {
    if (language === "bash") commands.push(...body!.split("\n").map((line) => line.replace(/\s+#.*$/, "").trim()).filter(Boolean));
    const named = /^\/\/ (\S+(?:, CommonJS)?)\n/.exec(body!);
    // A jsonc block's naming comment is not JSON: the file is what follows it.
    if (named !== null) files[named[1]!] = language === "jsonc" ? body!.slice(named[0].length) : body!;
  }
  return { commands, files };
}

/** Which TypeScript and @types/node the README's `npm install -D typescript @types/node` installs: the day's, or pinned ones. */
export interface Toolchain {
  typescript?: string;
  typesNode?: string;
}

/** A README command line as the suite runs it: the packed tarball for `kubetyped`, the toolchain's pins, npm kept quiet and offline-first. */
export async function asRun(command: string, toolchain: Toolchain = {}): Promise<string> {
  const { tarball } = await packOnce();
  return command
    .replace(/^npm install kubetyped$/, `npm install ${tarball}`)
    .replace(/^npm install -D typescript @types\/node$/, `npm install -D typescript${toolchain.typescript ? `@${toolchain.typescript}` : ""} @types/node${toolchain.typesNode ? `@${toolchain.typesNode}` : ""}`)
    .replace(/^npm install /, "npm install --no-audit --no-fund --prefer-offline --loglevel=error ");
}

/**
 * An npm project at `project` (an existing empty folder) set up by the README's Quick start install lines as
 * they are (`npm init -y`, `npm install kubetyped`, then typescript and @types/node, the day's unless pinned).
 */
export async function installFreshProject(project: string, env: NodeJS.ProcessEnv, toolchain: Toolchain = {}): Promise<void> {
  const installs = readmeQuickStart().commands.filter((command) => command.startsWith("npm "));
  if (installs.length < 3) throw new Error(`README.md's Quick start lost its install lines: ${installs.join("; ")}`);
  for (const command of installs) {
    const outcome = await sh("sh", ["-c", await asRun(command, toolchain)], { cwd: project, env, timeout: 300_000 });
    if (outcome.code !== 0) throw new Error(`${command} failed: ${show(outcome)}`);
  }
}

/** The strict compiler options of a fresh project's tsconfig (module and resolution added per test). */
export const TSCONFIG_BASE = {
  target: "ES2022",
  strict: true,
  noUncheckedIndexedAccess: true,
  // Users who check libraries' declarations too must get none of ours wrong.
  skipLibCheck: false,
  types: ["node"],
};
