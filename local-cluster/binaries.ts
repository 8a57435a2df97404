import { spawn } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdir, rmdir, stat } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { cachedApiserverPath, findProjectRoot, kubetypedCacheDir } from "./paths.js";

export interface ControlPlaneBinaries {
  apiserver: string;
  etcd: string;
  /** Which rule found them, e.g. `KUBEBUILDER_ASSETS=/opt/assets` or `PATH`. */
  source: string;
}

/** Neither binary location worked; the message lists every place searched and how to fix it. */
export class ControlPlaneBinariesNotFoundError extends Error {
  override name = "ControlPlaneBinariesNotFoundError";
}

/** local-cluster/build-kube-apiserver.sh failed; `exitCode` 3 means apt or root is missing. */
export class ControlPlaneBuildError extends Error {
  override name = "ControlPlaneBuildError";
  constructor(
    message: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

/**
 * Finds kube-apiserver and etcd, in this order: `KUBEBUILDER_ASSETS`, `KUBE_APISERVER_BIN`/`ETCD_BIN`,
 * the PATH, the per-user build cache (etcd from the PATH). An explicit setting that points at nothing
 * is an error rather than a silent fall-through, so a typo is not hidden by another copy.
 */
export async function findControlPlaneBinaries(env: NodeJS.ProcessEnv = process.env): Promise<ControlPlaneBinaries> {
  const assets = env.KUBEBUILDER_ASSETS;
  if (assets) {
    const source = `KUBEBUILDER_ASSETS=${assets}`;
    const apiserver = join(assets, "kube-apiserver");
    const etcd = join(assets, "etcd");
    const missing: string[] = [];
    for (const file of [apiserver, etcd]) if (!(await isExecutable(file))) missing.push(file);
    if (missing.length > 0) {
      throw new ControlPlaneBinariesNotFoundError(
        `${source} names a folder without an executable ${missing.join(" and ")}; ` +
          "put kube-apiserver and etcd there (e.g. `setup-envtest use 1.20.2 -p path`) or unset KUBEBUILDER_ASSETS",
      );
    }
    return { apiserver, etcd, source };
  }

  if (env.KUBE_APISERVER_BIN || env.ETCD_BIN) {
    const apiserver = env.KUBE_APISERVER_BIN ?? (await findOnPath("kube-apiserver", env));
    const etcd = env.ETCD_BIN ?? (await findOnPath("etcd", env));
    for (const [variable, file] of [
      ["KUBE_APISERVER_BIN", apiserver],
      ["ETCD_BIN", etcd],
    ] as const) {
      if (!file || !(await isExecutable(file))) {
        throw new ControlPlaneBinariesNotFoundError(
          `${variable}${env[variable] ? `=${env[variable]} is not an executable file` : " is not set and its binary is not on the PATH"}; ` +
            "point KUBE_APISERVER_BIN and ETCD_BIN at executables, or set KUBEBUILDER_ASSETS to a folder holding both",
        );
      }
    }
    return { apiserver: apiserver!, etcd: etcd!, source: "KUBE_APISERVER_BIN/ETCD_BIN" };
  }

  const etcdOnPath = await findOnPath("etcd", env);
  const apiserverOnPath = await findOnPath("kube-apiserver", env);
  if (apiserverOnPath && etcdOnPath) return { apiserver: apiserverOnPath, etcd: etcdOnPath, source: "PATH" };

  const cached = cachedApiserverPath(env);
  if (etcdOnPath && (await isExecutable(cached))) {
    return { apiserver: cached, etcd: etcdOnPath, source: `cache ${kubetypedCacheDir(env)} (etcd from PATH)` };
  }

  throw new ControlPlaneBinariesNotFoundError(
    `kube-apiserver and etcd not found: KUBEBUILDER_ASSETS and KUBE_APISERVER_BIN/ETCD_BIN are unset, ` +
      `the PATH has ${describePresence(apiserverOnPath, etcdOnPath)}, and ${cached} ${(await isExecutable(cached)) ? "exists but etcd is not on the PATH" : "does not exist"}. ` +
      "Set KUBEBUILDER_ASSETS to a folder with both binaries, or run local-cluster/build-kube-apiserver.sh (Debian, root) to build them.",
  );
}

export interface EnsureControlPlaneOptions {
  /** Run local-cluster/build-kube-apiserver.sh when the binaries are missing. */
  build: boolean;
  /** Receives the build's progress, one line at a time. */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Finds the binaries, building them into the per-user cache first when allowed and needed. */
export async function ensureControlPlaneBinaries(options: EnsureControlPlaneOptions): Promise<ControlPlaneBinaries> {
  const env = options.env ?? process.env;
  try {
    return await findControlPlaneBinaries(env);
  } catch (error) {
    // An explicit setting that is wrong must be fixed by the user, not papered over by a build.
    const explicit = env.KUBEBUILDER_ASSETS || env.KUBE_APISERVER_BIN || env.ETCD_BIN;
    if (!options.build || explicit || !(error instanceof ControlPlaneBinariesNotFoundError)) throw error;
  }
  await withBuildLock(env, () => runBuildScript(env, options.log ?? (() => {})));
  return findControlPlaneBinaries(env);
}

/** True when `apt-get` is on the PATH and we are root or have sudo: what the build script needs. */
export async function canBuildControlPlane(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!(await findOnPath("apt-get", env))) return false;
  return process.getuid?.() === 0 || (await findOnPath("sudo", env)) !== undefined;
}

/** Path of the build script, found from the project root so it works from source and from dist/. */
export function buildScriptPath(): string {
  return join(findProjectRoot(), "local-cluster", "build-kube-apiserver.sh");
}

async function runBuildScript(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const script = buildScriptPath();
  log(`building kube-apiserver with ${script} (first run only; about 4 minutes)`);
  const recent: string[] = [];
  const child = spawn("bash", [script], { env, stdio: ["ignore", "pipe", "pipe"] });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 20) recent.shift();
      log(line);
    }
  };
  child.stdout.on("data", forward);
  child.stderr.on("data", forward);
  const exitCode = await new Promise<number | null>((resolveExit, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolveExit(code));
  });
  if (exitCode === 0) return;
  if (exitCode === 3) {
    throw new ControlPlaneBuildError(
      `${script} cannot build kube-apiserver here (it needs apt-get and root). ` +
        "Set KUBEBUILDER_ASSETS to a folder holding kube-apiserver and etcd (v1.20.x) instead.",
      exitCode,
    );
  }
  throw new ControlPlaneBuildError(
    `${script} failed with exit code ${exitCode}; last lines:\n${recent.join("\n")}\n` +
      "Fix the cause and rerun, or set KUBEBUILDER_ASSETS to a folder holding kube-apiserver and etcd.",
    exitCode,
  );
}

/** Serialises concurrent builds (two test runs at once) with an atomic mkdir in the cache folder. */
async function withBuildLock<T>(env: NodeJS.ProcessEnv, work: () => Promise<T>): Promise<T> {
  const cacheDir = kubetypedCacheDir(env);
  const lock = join(cacheDir, "build.lock");
  await mkdir(cacheDir, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (Date.now() > deadline) {
        throw new ControlPlaneBuildError(`another build holds ${lock} for over 15 minutes; remove it if no build is running`, null);
      }
      await new Promise((wake) => setTimeout(wake, 2_000));
    }
  }
  try {
    return await work();
  } finally {
    await rmdir(lock).catch(() => {});
  }
}

async function findOnPath(command: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const folder of (env.PATH ?? "").split(delimiter)) {
    if (!folder) continue;
    const candidate = join(folder, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function describePresence(apiserver: string | undefined, etcd: string | undefined): string {
  if (!apiserver && !etcd) return "neither kube-apiserver nor etcd";
  return apiserver ? "kube-apiserver but not etcd" : "etcd but not kube-apiserver";
}
