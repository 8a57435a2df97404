// Where kube-apiserver and etcd come from: the user's own (envtest's KUBEBUILDER_ASSETS), or a release built once.
import { execFile, spawn } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdir, rmdir, stat } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { findProjectRoot, kubetypedCacheDir } from "./paths.js";
import { NEWEST_RELEASE, releaseCacheDir, type ControlPlaneRelease } from "./releases.js";

export interface ControlPlaneBinaries {
  apiserver: string;
  etcd: string;
  /** Which rule found them, e.g. `KUBEBUILDER_ASSETS=/opt/assets` or `PATH`. */
  source: string;
  /** The release they were built as, when they came from the cache. */
  release?: ControlPlaneRelease;
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
 * Finds kube-apiserver and etcd. Without a `release`: `KUBEBUILDER_ASSETS`, `KUBE_APISERVER_BIN`/`ETCD_BIN`, the
 * PATH, then the cached build of the newest release. With one: that release's cached build (asked for by version,
 * so a binary of another version elsewhere does not answer). An explicit setting that points at nothing is an
 * error rather than a silent fall-through, so a typo is not hidden by another copy.
 */
export async function findControlPlaneBinaries(env: NodeJS.ProcessEnv = process.env, release?: ControlPlaneRelease): Promise<ControlPlaneBinaries> {
  if (release) return findCachedRelease(env, release);
  const explicit = await findExplicitBinaries(env);
  if (explicit) return explicit;
  const etcdOnPath = await findOnPath("etcd", env);
  const apiserverOnPath = await findOnPath("kube-apiserver", env);
  if (apiserverOnPath && etcdOnPath) return { apiserver: apiserverOnPath, etcd: etcdOnPath, source: "PATH" };
  try {
    return await findCachedRelease(env, NEWEST_RELEASE);
  } catch (error) {
    throw new ControlPlaneBinariesNotFoundError(
      `kube-apiserver and etcd not found: KUBEBUILDER_ASSETS and KUBE_APISERVER_BIN/ETCD_BIN are unset, ` +
        `the PATH has ${describePresence(apiserverOnPath, etcdOnPath)}, and ${(error as Error).message}`,
    );
  }
}

/** The binaries a user named with KUBEBUILDER_ASSETS or KUBE_APISERVER_BIN/ETCD_BIN; undefined when neither is set. */
async function findExplicitBinaries(env: NodeJS.ProcessEnv): Promise<ControlPlaneBinaries | undefined> {
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
          "put kube-apiserver and etcd there (e.g. `setup-envtest use 1.37.x -p path`) or unset KUBEBUILDER_ASSETS",
      );
    }
    return { apiserver, etcd, source };
  }
  if (!env.KUBE_APISERVER_BIN && !env.ETCD_BIN) return undefined;
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

/** A release's build in the per-user cache (for 1.20, etcd is Debian's, from the PATH). */
async function findCachedRelease(env: NodeJS.ProcessEnv, release: ControlPlaneRelease): Promise<ControlPlaneBinaries> {
  const dir = releaseCacheDir(kubetypedCacheDir(env), release);
  const apiserver = join(dir, "kube-apiserver");
  const etcd = release.recipe.kind === "go-modules" ? join(dir, "etcd") : await findOnPath("etcd", env);
  const source = `cache ${dir} (${release.kubernetes})`;
  if ((await isExecutable(apiserver)) && etcd && (await isExecutable(etcd))) return { apiserver, etcd, source, release };
  const what = !(await isExecutable(apiserver)) ? `${apiserver} does not exist` : `${apiserver} exists but etcd is not ${etcd ? `executable at ${etcd}` : "on the PATH"}`;
  throw new ControlPlaneBinariesNotFoundError(
    `${what}. Run \`npx kubetyped local-cluster build --version ${release.minor}\` to build it (${describeRecipe(release)}), ` +
      "or set KUBEBUILDER_ASSETS to a folder with kube-apiserver and etcd.",
  );
}

export interface EnsureControlPlaneOptions {
  /** Build the release into the per-user cache when its binaries are missing. */
  build: boolean;
  /** Which release; without one, what findControlPlaneBinaries() finds first, else the newest is built. */
  release?: ControlPlaneRelease | undefined;
  /** Receives the build's progress, one line at a time. */
  log?: ((line: string) => void) | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** Finds the binaries, building them into the per-user cache first when allowed and needed. */
export async function ensureControlPlaneBinaries(options: EnsureControlPlaneOptions): Promise<ControlPlaneBinaries> {
  const env = options.env ?? process.env;
  try {
    return await findControlPlaneBinaries(env, options.release);
  } catch (error) {
    // An explicit setting that is wrong must be fixed by the user, not papered over by a build.
    const explicit = !options.release && (env.KUBEBUILDER_ASSETS || env.KUBE_APISERVER_BIN || env.ETCD_BIN);
    if (!options.build || explicit || !(error instanceof ControlPlaneBinariesNotFoundError)) throw error;
  }
  const release = options.release ?? NEWEST_RELEASE;
  await withBuildLock(env, () => runBuild(release, env, options.log ?? (() => {})));
  return findControlPlaneBinaries(env, release);
}

/** Whether this machine has what `release`'s recipe needs: Go for module builds; apt-get and root for Debian's. */
export async function canBuildControlPlane(env: NodeJS.ProcessEnv = process.env, release: ControlPlaneRelease = NEWEST_RELEASE): Promise<boolean> {
  if (release.recipe.kind === "go-modules") return (await findOnPath("go", env)) !== undefined;
  if (!(await findOnPath("apt-get", env))) return false;
  return process.getuid?.() === 0 || (await findOnPath("sudo", env)) !== undefined;
}

/** A build script, found from the project root so it works from source and from dist/. */
export function buildScriptPath(recipe: ControlPlaneRelease["recipe"]["kind"] = "debian-source"): string {
  const script = recipe === "go-modules" ? "build-go-control-plane.sh" : "build-kube-apiserver.sh";
  return join(findProjectRoot(), "local-cluster", script);
}

function describeRecipe(release: ControlPlaneRelease): string {
  const { recipe } = release;
  return recipe.kind === "go-modules"
    ? `k8s.io/kubernetes@${release.kubernetes} and go.etcd.io/etcd/server/v3@${recipe.etcd} with Go`
    : "Debian's kubernetes source package, as root";
}

async function runBuild(release: ControlPlaneRelease, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const { recipe } = release;
  const script = buildScriptPath(recipe.kind);
  const args = recipe.kind === "go-modules" ? [release.kubernetes, recipe.etcd, releaseCacheDir(kubetypedCacheDir(env), release)] : [];
  log(`building the ${release.kubernetes} control plane from ${describeRecipe(release)} (first run only)`);
  await runBuildScript(release.kubernetes, script, args, env, log);
}

/** Runs a build script with a progress line every minute; a failure is a ControlPlaneBuildError with its last line. */
export async function runBuildScript(what: string, script: string, args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const heartbeat = setInterval(() => log(`still building ${what} (${Math.round((Date.now() - started) / 60_000)} min so far)`), 60_000);
  try {
    const { exitCode, recent } = await runScript(script, args, env, log);
    if (exitCode === 0) return;
    throw buildFailure(script, exitCode, recent);
  } finally {
    clearInterval(heartbeat);
  }
}

async function runScript(script: string, args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void) {
  const recent: string[] = [];
  const child = spawn("bash", [script, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
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
  return { exitCode, recent };
}

function buildFailure(script: string, exitCode: number | null, recent: string[]): ControlPlaneBuildError {
  if (exitCode === 3) {
    return new ControlPlaneBuildError(
      `${script} cannot build kube-apiserver here (it needs apt-get and root). ` +
        "Set KUBEBUILDER_ASSETS to a folder holding kube-apiserver and etcd (v1.20.x) instead.",
      exitCode,
    );
  }
  return new ControlPlaneBuildError(
    `${script} failed with exit code ${exitCode}: ${recent.at(-1) ?? "no output"}\n` +
      "Fix the cause and rerun (the build resumes), or set KUBEBUILDER_ASSETS to a folder holding kube-apiserver and etcd.",
    exitCode,
  );
}

/** The version a kube-apiserver binary reports (`v1.37.2`), or undefined when it cannot say. */
export async function readApiserverVersion(apiserver: string): Promise<string | undefined> {
  const output = await new Promise<string>((resolveOutput) => {
    execFile(apiserver, ["--version"], { timeout: 30_000 }, (_error, stdout) => resolveOutput(String(stdout)));
  });
  return /Kubernetes (v\d+\.\d+\.\d+\S*)/.exec(output)?.[1];
}

/** Serialises concurrent builds (two test runs at once) with an atomic mkdir in the cache folder. */
export async function withBuildLock<T>(env: NodeJS.ProcessEnv, work: () => Promise<T>): Promise<T> {
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

export async function findOnPath(command: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const folder of (env.PATH ?? "").split(delimiter)) {
    if (!folder) continue;
    const candidate = join(folder, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export async function isExecutable(file: string): Promise<boolean> {
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
