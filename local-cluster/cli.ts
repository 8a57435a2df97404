import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { canBuildControlPlane, ensureControlPlaneBinaries } from "./binaries.js";
import { startLocalCluster, stopLocalClusterProcesses } from "./cluster.js";
import { probe } from "./http.js";
import { kubetypedCacheDir } from "./paths.js";
import { isProcessAlive, processMatches } from "./processes.js";
import { describeReleases, findRelease, NEWEST_RELEASE, UnknownControlPlaneVersionError, type ControlPlaneRelease } from "./releases.js";
import type { LocalClusterInfo } from "./types.js";

export interface LocalClusterCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Decides the state folder (KUBETYPED_CACHE_DIR, XDG_CACHE_HOME) and where binaries are looked for. */
  env: NodeJS.ProcessEnv;
}

/** state.json in the state folder: what `down` and `status` need from the `up` that wrote it. */
interface LocalClusterState {
  info: LocalClusterInfo;
  pids: number[];
  startedAt: string;
}

const HELP = `Usage: kubetyped local-cluster <command> [--version V]

Runs a throwaway Kubernetes control plane (etcd + kube-apiserver) on 127.0.0.1,
outliving this command until \`down\`. No nodes: pods are stored but never run.

Commands:
  up       start it (building it into the cache on first use) and print the kubeconfig
  down     stop exactly the processes \`up\` started and remove its state folder
  env      print \`export KUBECONFIG=...\` (use: eval "$(npx kubetyped local-cluster env)")
  status   say whether it runs and answers; exit code 1 when it does not
  build    build a release into the cache without starting it (repeat --version for several)

--version V   which release: ${describeReleases()}; ${NEWEST_RELEASE.minor} by default.
              Releases from 1.21 on are built with Go from their Go modules (k8s.io/kubernetes,
              go.etcd.io/etcd/server/v3); 1.20 from Debian's source package (root, apt-get).

Binaries: without --version, KUBEBUILDER_ASSETS (folder with kube-apiserver and etcd),
KUBE_APISERVER_BIN/ETCD_BIN or the PATH come first; then the cache
(\${KUBETYPED_CACHE_DIR:-\${XDG_CACHE_HOME:-~/.cache}/kubetyped}).
`;

const defaultIo: LocalClusterCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/** `kubetyped local-cluster up|down|env|status|build`; resolves to the exit code. */
export async function runLocalClusterCommand(args: string[], io: LocalClusterCommandIo = defaultIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "--help" || command === "-h" || command === "help" || rest.includes("--help") || rest.includes("-h")) {
    io.stdout(HELP);
    return command === undefined ? 2 : 0;
  }
  const parsed = parseVersions(rest);
  if (typeof parsed === "string") {
    io.stderr(`kubetyped local-cluster ${command}: ${parsed}\n`);
    return 2;
  }
  if (parsed.length > (command === "build" ? Infinity : command === "up" ? 1 : 0)) {
    io.stderr(`kubetyped local-cluster ${command}: ${command === "up" ? "--version is given once" : "takes no --version"}; see --help\n`);
    return 2;
  }
  const stateDir = join(kubetypedCacheDir(io.env), "local-cluster");
  switch (command) {
    case "up":
      return up(stateDir, io, parsed[0]);
    case "build":
      return build(parsed.length > 0 ? parsed : [NEWEST_RELEASE], io);
    case "down":
      return down(stateDir, io);
    case "env":
      return env(stateDir, io);
    case "status":
      return status(stateDir, io);
    default:
      io.stderr(`kubetyped local-cluster: unknown command ${JSON.stringify(command)}; expected up, down, env, status or build (see --help)\n`);
      return 2;
  }
}

/** The releases named by `--version V` / `--version=V`; a message for anything else. */
function parseVersions(args: string[]): ControlPlaneRelease[] | string {
  const releases: ControlPlaneRelease[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const value = arg === "--version" ? args[++index] : arg.startsWith("--version=") ? arg.slice("--version=".length) : undefined;
    if (value === undefined) return arg === "--version" ? "--version needs a value, e.g. --version 1.37" : `unexpected argument ${JSON.stringify(arg)}; see --help`;
    try {
      releases.push(findRelease(value));
    } catch (error) {
      if (error instanceof UnknownControlPlaneVersionError) return error.message;
      throw error;
    }
  }
  return releases;
}

async function build(releases: ControlPlaneRelease[], io: LocalClusterCommandIo): Promise<number> {
  const log = (line: string) => io.stderr(`${line}\n`);
  for (const release of releases) {
    if (!(await canBuildControlPlane(io.env, release))) {
      const needs = release.recipe.kind === "go-modules" ? "Go on the PATH" : "apt-get and root (Debian)";
      io.stderr(`cannot build ${release.kubernetes} here: it needs ${needs}; set KUBEBUILDER_ASSETS to a folder with kube-apiserver and etcd instead\n`);
      return 1;
    }
    const binaries = await ensureControlPlaneBinaries({ build: true, release, log, env: io.env });
    io.stdout(`${release.kubernetes}: ${binaries.apiserver} and ${binaries.etcd}\n`);
  }
  return 0;
}

async function up(stateDir: string, io: LocalClusterCommandIo, release?: ControlPlaneRelease): Promise<number> {
  const previous = await readState(stateDir);
  if (previous && runningPids(previous).length > 0) {
    io.stderr(
      `a local cluster is already running at ${previous.info.server} (pids ${runningPids(previous).join(", ")}, state ${stateDir}); ` +
        "use it (`npx kubetyped local-cluster env`) or stop it first with `npx kubetyped local-cluster down`\n",
    );
    return 1;
  }
  if (existsSync(stateDir)) {
    io.stderr(`removing the stale state of a cluster that no longer runs (${stateDir})\n`);
    await rm(stateDir, { recursive: true, force: true });
  }
  const log = (line: string) => io.stderr(`${line}\n`);
  const binaries = await ensureControlPlaneBinaries({ build: await canBuildControlPlane(io.env, release), release, log, env: io.env });
  const cluster = await startLocalCluster({ dir: stateDir, outliveParent: true, binaries, log });
  const { stop: _stop, ...info } = cluster;
  const state: LocalClusterState = { info, pids: [info.etcd.pid, info.apiserver.pid], startedAt: new Date().toISOString() };
  await writeFile(join(stateDir, "state.json"), JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  io.stdout(
    `local cluster ready at ${info.server} (${info.version}); kubeconfig: ${info.kubeconfigPath}\n` +
      `export KUBECONFIG=${shellQuote(info.kubeconfigPath)}\n`,
  );
  return 0;
}

async function down(stateDir: string, io: LocalClusterCommandIo): Promise<number> {
  const state = await readState(stateDir);
  if (!state) {
    if (existsSync(stateDir)) await rm(stateDir, { recursive: true, force: true });
    io.stderr(`no local cluster is running (no ${join(stateDir, "state.json")})\n`);
    return 0;
  }
  const { stopped } = await stopLocalClusterProcesses({ dir: state.info.dir, pids: state.pids });
  await rm(stateDir, { recursive: true, force: true });
  io.stderr(`stopped the local cluster at ${state.info.server}${stopped.length ? ` (pids ${stopped.join(", ")})` : " (its processes had already exited)"}\n`);
  return 0;
}

async function env(stateDir: string, io: LocalClusterCommandIo): Promise<number> {
  const state = await readState(stateDir);
  if (!state || runningPids(state).length === 0) {
    io.stderr("no local cluster is running; start one with `npx kubetyped local-cluster up`\n");
    return 1;
  }
  io.stdout(`export KUBECONFIG=${shellQuote(state.info.kubeconfigPath)}\n`);
  return 0;
}

async function status(stateDir: string, io: LocalClusterCommandIo): Promise<number> {
  const state = await readState(stateDir);
  if (!state) {
    io.stdout("local cluster: not running\n");
    return 1;
  }
  const running = runningPids(state);
  let answer = "not answering";
  try {
    const readyz = await probe(`${state.info.server}/readyz`, { caFile: state.info.caFile, token: state.info.admin.token });
    answer = readyz.status === 200 ? "ready" : `HTTP ${readyz.status} on /readyz`;
  } catch (error) {
    answer = `not answering (${(error as Error).message})`;
  }
  io.stdout(
    `local cluster: ${state.info.server} ${state.info.version}, ${answer}\n` +
      `  processes: ${state.pids.map((pid) => `${pid}${running.includes(pid) ? "" : " (gone)"}`).join(", ")}\n` +
      `  kubeconfig: ${state.info.kubeconfigPath}\n`,
  );
  return answer === "ready" && running.length === state.pids.length ? 0 : 1;
}

async function readState(stateDir: string): Promise<LocalClusterState | undefined> {
  const file = join(stateDir, "state.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as LocalClusterState;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); stop its processes by hand and delete ${stateDir}`);
  }
}

function runningPids(state: LocalClusterState): number[] {
  return state.pids.filter((pid) => isProcessAlive(pid) && processMatches(pid, state.info.dir));
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
