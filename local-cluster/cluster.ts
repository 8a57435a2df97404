// A throwaway control plane: etcd and kube-apiserver on free loopback ports with a fresh PKI, tokens and kubeconfig.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { findControlPlaneBinaries, readApiserverVersion, type ControlPlaneBinaries } from "./binaries.js";
import { freeLoopbackPorts, probe, type ProbeCredentials } from "./http.js";
import { createLocalPki, NAME_NOT_IN_SERVING_CERT, type LocalPki } from "./pki.js";
import { isProcessAlive, killWithParent, processMatches, spawnLogged, tailFile, terminateProcess } from "./processes.js";
import type { LocalCluster, LocalClusterInfo } from "./types.js";

export type { LocalCluster, LocalClusterInfo } from "./types.js";

export interface StartLocalClusterOptions {
  /** State folder; a fresh one under the OS temp dir when absent. Removed by stop() either way. */
  dir?: string;
  log?: (line: string) => void;
  /**
   * Extra kube-apiserver flags as `--name=value`; one whose name matches a default flag replaces it
   * (repeating a list flag would append to it instead), e.g. `--disable-admission-plugins=`.
   */
  extraApiserverFlags?: string[];
  /**
   * kube-apiserver feature gates to set, e.g. `{ CBORServingAndStorage: true }`; joined with a
   * `--feature-gates` flag in `extraApiserverFlags` (these win where both name a gate).
   */
  featureGates?: Record<string, boolean>;
  /** Found with findControlPlaneBinaries() when absent. */
  binaries?: ControlPlaneBinaries;
  /** Let the processes outlive this node process (`local-cluster up`); otherwise they die with it. */
  outliveParent?: boolean;
  /** How long to wait for /readyz; 90 s by default (startup takes 6 s idle, 20 s on a loaded 2-core box). */
  readyTimeoutMs?: number;
  /**
   * Picks the loopback ports of etcd (client, peer) and kube-apiserver, called again for the retry when one was
   * taken meanwhile; free ones by default. Tests hand it a busy port first.
   */
  choosePorts?: (count: number) => Promise<number[]>;
}

const SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc";
const CONTEXTS = {
  adminCert: "kubetyped-local",
  adminToken: "kubetyped-local-admin-token",
  aliceToken: "kubetyped-local-alice",
  bobCert: "kubetyped-local-bob",
} as const;

/** Starts etcd and kube-apiserver on free loopback ports and waits until the API answers. */
export async function startLocalCluster(options: StartLocalClusterOptions = {}): Promise<LocalCluster> {
  try {
    return await startOnce(options);
  } catch (error) {
    // Free ports are found, released, then bound by etcd/kube-apiserver: another process may win
    // that race. One retry on fresh ports makes it negligible.
    if (!/address already in use/i.test((error as Error).message)) throw error;
    options.log?.("a port was taken meanwhile; retrying on fresh ports");
    return startOnce(options);
  }
}

async function startOnce(options: StartLocalClusterOptions): Promise<LocalCluster> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  // Before anything starts: a misspelt gate fails here, not after etcd is up.
  const extraFlags = withFeatureGates(options.extraApiserverFlags ?? [], options.featureGates ?? {});
  const binaries = options.binaries ?? (await findControlPlaneBinaries());
  const dir = options.dir ? resolve(options.dir) : await mkdtemp(join(tmpdir(), "kubetyped-cluster-"));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const processes = new ClusterProcesses(dir, options.outliveParent === true);
  const removeDir = () => rm(dir, { recursive: true, force: true });
  try {
    log(`using ${binaries.apiserver} and ${binaries.etcd} (${binaries.source})`);
    const pki = await createLocalPki(join(dir, "pki"));
    const [etcdClientPort, etcdPeerPort, apiserverPort] = await (options.choosePorts ?? freeLoopbackPorts)(3);
    const tokens = await writeTokenFile(dir);
    const etcd = await startEtcd(binaries, processes, dir, etcdClientPort!, etcdPeerPort!, log);
    const builtAs = binaries.release?.kubernetes ?? (await readApiserverVersion(binaries.apiserver));
    const defaults = apiserverArgs({ pki, etcdEndpoint: etcd.endpoint, port: apiserverPort!, tokenFile: tokens.file, version: builtAs });
    const flags = mergeFlags(defaults, extraFlags);
    const server = `https://127.0.0.1:${apiserverPort}`;
    const apiserver = await spawnWatched(processes, "kube-apiserver", binaries.apiserver, flags, join(dir, "kube-apiserver.log"), log, server);
    const admin: ProbeCredentials = { caFile: pki.caFile, token: tokens.admin };
    await waitUntil("kube-apiserver", `${server}/readyz`, admin, apiserver.child, apiserver.logFile, options.readyTimeoutMs ?? 90_000);
    await ensureDefaultNamespace(server, admin);
    const version = await readServerVersion(server, admin);
    const kubeconfigPath = join(dir, "kubeconfig.yaml");
    await writeFile(kubeconfigPath, kubeconfigYaml(server, pki, tokens.admin, tokens.alice), { mode: 0o600 });
    const info = clusterInfo({ server, dir, kubeconfigPath, pki, tokens, version, started, etcd, apiserver: { pid: apiserver.child.pid!, logFile: apiserver.logFile } });
    log(`ready in ${(info.startupMs / 1000).toFixed(1)} s: ${server} (${version})`);
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= processes.stop().then(removeDir));
    return { ...info, stop };
  } catch (error) {
    await processes.stop().catch(() => {});
    await removeDir().catch(() => {});
    throw error;
  }
}

/** The processes of one cluster: they die with this process unless detached, and stop API server first. */
class ClusterProcesses {
  readonly #children: ChildProcess[] = [];
  #disarm = () => {};

  constructor(
    private readonly dir: string,
    readonly detached: boolean,
  ) {}

  add(child: ChildProcess): void {
    this.#children.push(child);
    if (this.detached) return;
    this.#disarm();
    this.#disarm = killWithParent(this.#children, this.dir);
  }

  async stop(): Promise<void> {
    // The API server first: it would otherwise log errors about the vanished etcd.
    for (const child of [...this.#children].reverse()) {
      if (child.pid !== undefined) await terminateProcess(child.pid);
    }
    this.#disarm();
  }
}

/** A static token file with an admin (system:masters) and an unprivileged user, alice. */
async function writeTokenFile(dir: string): Promise<{ file: string; admin: string; alice: string }> {
  const admin = randomToken();
  const alice = randomToken();
  const file = join(dir, "tokens.csv");
  await writeFile(file, `${admin},kubetyped-admin,kubetyped-admin,"system:masters"\n${alice},alice,alice\n`, { mode: 0o600 });
  return { file, admin, alice };
}

/** Spawns one control-plane binary with its log file and registers it with `processes`. */
async function spawnWatched(processes: ClusterProcesses, name: string, binary: string, args: string[], logFile: string, log: (line: string) => void, at: string) {
  const child = await spawnLogged(binary, args, { logFile, detached: processes.detached });
  processes.add(child);
  log(`${name} started (pid ${child.pid}) at ${at}`);
  return { child, logFile };
}

async function startEtcd(binaries: ControlPlaneBinaries, processes: ClusterProcesses, dir: string, clientPort: number, peerPort: number, log: (line: string) => void) {
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const { child, logFile } = await spawnWatched(processes, "etcd", binaries.etcd, etcdArgs(dir, endpoint, `http://127.0.0.1:${peerPort}`), join(dir, "etcd.log"), log, endpoint);
  await waitUntil("etcd", `${endpoint}/health`, {}, child, logFile, 30_000);
  return { endpoint, pid: child.pid!, logFile };
}

interface ClusterFacts {
  server: string;
  dir: string;
  kubeconfigPath: string;
  pki: LocalPki;
  tokens: { admin: string; alice: string };
  version: string;
  started: number;
  etcd: LocalClusterInfo["etcd"];
  apiserver: LocalClusterInfo["apiserver"];
}

function clusterInfo({ server, dir, kubeconfigPath, pki, tokens, version, started, etcd, apiserver }: ClusterFacts): LocalClusterInfo {
  return {
    server,
    dir,
    kubeconfigPath,
    caFile: pki.caFile,
    caKeyFile: pki.caKeyFile,
    kubelet: { ...pki.kubelet },
    admin: { user: "kubetyped-admin", certFile: pki.admin.certFile, keyFile: pki.admin.keyFile, token: tokens.admin },
    unprivileged: { user: "alice", token: tokens.alice, certUser: "bob", certFile: pki.bob.certFile, keyFile: pki.bob.keyFile },
    contexts: { ...CONTEXTS },
    tls: { serverNames: [...pki.serving.dnsNames], nameNotInCertificate: NAME_NOT_IN_SERVING_CERT },
    serviceAccountIssuer: SERVICE_ACCOUNT_ISSUER,
    etcd,
    apiserver,
    version,
    startupMs: Date.now() - started,
  };
}

/**
 * Stops a cluster started by another process (`local-cluster down`): signals only those pids that
 * still run a command line naming `dir`, then removes `dir`.
 */
export async function stopLocalClusterProcesses(state: { dir: string; pids: number[] }): Promise<{ stopped: number[]; gone: number[] }> {
  const stopped: number[] = [];
  const gone: number[] = [];
  for (const pid of state.pids) {
    if (isProcessAlive(pid) && processMatches(pid, state.dir)) {
      await terminateProcess(pid);
      stopped.push(pid);
    } else {
      gone.push(pid);
    }
  }
  await rm(state.dir, { recursive: true, force: true });
  return { stopped, gone };
}

function etcdArgs(dir: string, clientUrl: string, peerUrl: string): string[] {
  return [
    "--name=kubetyped",
    `--data-dir=${join(dir, "etcd")}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=kubetyped=${peerUrl}`,
    "--logger=zap",
    "--log-outputs=stderr",
    // A throwaway store (stop() removes it): nothing to keep across a power loss, and an fsync per write made
    // etcd the slowest part of every write the tests and a developer's cluster make.
    "--unsafe-no-fsync",
  ];
}

/** kube-apiserver flags; `version` (as `--version` prints it) drops what a release no longer has. */
function apiserverArgs(input: { pki: LocalPki; etcdEndpoint: string; port: number; tokenFile: string; version: string | undefined }): string[] {
  const { pki } = input;
  const minor = Number(/^v1\.(\d+)\./.exec(input.version ?? "")?.[1] ?? Number.NaN);
  // The insecure port was removed in 1.24 (the flag with it); older servers open one unless told not to. Newer
  // ones refuse a loopback advertise address for the `kubernetes` Service's endpoints: with no nodes to reach
  // it, no endpoints are kept.
  const byVersion = Number.isNaN(minor) || minor < 24 ? ["--insecure-port=0"] : ["--endpoint-reconciler-type=none"];
  return [
    `--etcd-servers=${input.etcdEndpoint}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${input.port}`,
    ...byVersion,
    `--tls-cert-file=${pki.serving.certFile}`,
    `--tls-private-key-file=${pki.serving.keyFile}`,
    `--client-ca-file=${pki.caFile}`,
    `--token-auth-file=${input.tokenFile}`,
    "--authorization-mode=RBAC",
    `--service-account-key-file=${pki.serviceAccount.publicKeyFile}`,
    `--service-account-signing-key-file=${pki.serviceAccount.privateKeyFile}`,
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    "--service-cluster-ip-range=10.96.0.0/16",
    "--enable-admission-plugins=NamespaceLifecycle",
    // Without a controller-manager no ServiceAccount gets a token Secret, and this plugin would then
    // refuse every pod; TokenRequest works without it.
    "--disable-admission-plugins=ServiceAccount",
    "--allow-privileged=true",
    // How exec, attach, port-forward and logs reach a node's kubelet (the stand-in, kubelet-standin.ts): both sides
    // prove who they are, so a kubelet stand-in that dials loopback ports answers no one but this server.
    `--kubelet-client-certificate=${pki.kubeletClient.certFile}`,
    `--kubelet-client-key=${pki.kubeletClient.keyFile}`,
    `--kubelet-certificate-authority=${pki.caFile}`,
  ];
}

/** Defaults with every flag named in `extra` replaced by it; flags without `=` are kept and appended. */
export function mergeFlags(defaults: string[], extra: string[]): string[] {
  const flagName = (flag: string) => (flag.startsWith("--") && flag.includes("=") ? flag.slice(0, flag.indexOf("=")) : undefined);
  const overridden = new Set(extra.map(flagName).filter((name) => name !== undefined));
  return [...defaults.filter((flag) => !overridden.has(flagName(flag) ?? "")), ...extra];
}

/** `extra` with `gates` folded into its one `--feature-gates` flag (added when there is none). */
export function withFeatureGates(extra: string[], gates: Record<string, boolean>): string[] {
  const names = Object.keys(gates);
  if (names.length === 0) return extra;
  const malformed = names.filter((name) => !/^[A-Z][A-Za-z0-9]*$/.test(name));
  if (malformed.length) throw new TypeError(`featureGates: ${malformed.map((name) => JSON.stringify(name)).join(", ")} is not a feature gate name; names are CamelCase, e.g. CBORServingAndStorage`);
  const prefix = "--feature-gates=";
  const given = extra.filter((flag) => flag.startsWith(prefix));
  const merged = new Map(given.flatMap((flag) => flag.slice(prefix.length).split(",").filter(Boolean).map((pair) => pair.split("=") as [string, string])));
  for (const name of names) merged.set(name, String(gates[name]));
  const flag = prefix + [...merged].map(([name, value]) => `${name}=${value}`).join(",");
  return [...extra.filter((f) => !f.startsWith(prefix)), flag];
}

async function waitUntil(
  name: string,
  url: string,
  credentials: ProbeCredentials,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${name} exited (${child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode}) before ${url} became ready; last lines of ${logFile}:\n${await tailFile(logFile)}`,
      );
    }
    try {
      const response = await probe(url, credentials, { timeoutMs: 2_000 });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${response.body.slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((wake) => setTimeout(wake, 150));
  }
  throw new Error(
    `${name} did not become ready at ${url} within ${timeoutMs / 1000} s (last: ${last}); last lines of ${logFile}:\n${await tailFile(logFile)}`,
  );
}

async function ensureDefaultNamespace(server: string, admin: ProbeCredentials): Promise<void> {
  const existing = await probe(`${server}/api/v1/namespaces/default`, admin);
  if (existing.status === 200) return;
  const created = await probe(`${server}/api/v1/namespaces`, admin, {
    method: "POST",
    body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } },
  });
  // 409: the API server's bootstrap controller created it in the meantime.
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(`cannot create namespace default at ${server}: HTTP ${created.status} ${created.body.slice(0, 300)}`);
  }
}

async function readServerVersion(server: string, admin: ProbeCredentials): Promise<string> {
  const response = await probe(`${server}/version`, admin);
  const parsed = JSON.parse(response.body) as { gitVersion?: string };
  return parsed.gitVersion ?? "unknown";
}

function kubeconfigYaml(server: string, pki: LocalPki, adminToken: string, aliceToken: string): string {
  const cluster = "kubetyped-local";
  const context = (name: string, user: string) => ({ name, context: { cluster, user, namespace: "default" } });
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    "current-context": CONTEXTS.adminCert,
    clusters: [{ name: cluster, cluster: { server, "certificate-authority": pki.caFile } }],
    users: [
      { name: "kubetyped-admin", user: { "client-certificate": pki.admin.certFile, "client-key": pki.admin.keyFile } },
      { name: "kubetyped-admin-token", user: { token: adminToken } },
      { name: "alice", user: { token: aliceToken } },
      { name: "bob", user: { "client-certificate": pki.bob.certFile, "client-key": pki.bob.keyFile } },
    ],
    contexts: [
      context(CONTEXTS.adminCert, "kubetyped-admin"),
      context(CONTEXTS.adminToken, "kubetyped-admin-token"),
      context(CONTEXTS.aliceToken, "alice"),
      context(CONTEXTS.bobCert, "bob"),
    ],
  });
}

function randomToken(): string {
  return randomBytes(24).toString("base64url");
}
