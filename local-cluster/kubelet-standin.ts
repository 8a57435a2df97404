// The kubelet stand-in (kubelet-standin/main.go, served by k8s.io/cri-streaming): built once with Go into the cache,
// started beside a local cluster, and the Node and Pod objects that send kube-apiserver's exec, attach and
// port-forward to it. Without it a local cluster has no node, so those subresources can only answer 400.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ControlPlaneBinariesNotFoundError, findOnPath, isExecutable, runBuildScript, withBuildLock } from "./binaries.js";
import { probe, type ProbeCredentials } from "./http.js";
import { findProjectRoot, kubetypedCacheDir } from "./paths.js";
import { killWithParent, removeFolderQuietly, spawnLogged, tailFile, terminateProcess } from "./processes.js";
import type { LocalClusterInfo } from "./types.js";

/** What the build reads; their hash names the cached build, so an edited stand-in is rebuilt. */
const SOURCE_FILES = ["main.go", "go.mod", "go.sum"] as const;

export interface EnsureKubeletStandInOptions {
  /** Build it into the cache when missing (needs Go); otherwise a missing build is an error. */
  build: boolean;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Whether the stand-in can be had here: built already, or Go on the PATH to build it. */
export async function canHaveKubeletStandIn(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return (await isExecutable(await standInBinary(env))) || (await findOnPath("go", env)) !== undefined;
}

async function standInBinary(env: NodeJS.ProcessEnv): Promise<string> {
  return join(kubetypedCacheDir(env), "kubelet-standin", await sourceHash(standInSource()), "kubelet-standin");
}

function standInSource(): string {
  return join(findProjectRoot(), "local-cluster", "kubelet-standin");
}

/** The stand-in's binary, built into `${cache}/kubelet-standin/<hash of its sources>/` on first need. */
export async function ensureKubeletStandIn(options: EnsureKubeletStandInOptions): Promise<string> {
  const env = options.env ?? process.env;
  const source = standInSource();
  const binary = await standInBinary(env);
  const dir = dirname(binary);
  if (await isExecutable(binary)) return binary;
  if (!options.build) {
    throw new ControlPlaneBinariesNotFoundError(`the kubelet stand-in is not built (${binary} does not exist); it is built with Go on first need`);
  }
  await withBuildLock(env, async () => {
    if (await isExecutable(binary)) return; // built by another run while this one waited for the lock
    options.log?.(`building the kubelet stand-in from ${source} with Go (first run only)`);
    await runBuildScript("the kubelet stand-in", join(findProjectRoot(), "local-cluster", "build-kubelet-standin.sh"), [source, dir], env, options.log ?? (() => {}));
  });
  return binary;
}

async function sourceHash(source: string): Promise<string> {
  const hash = createHash("sha256");
  for (const file of SOURCE_FILES) hash.update(`${file}\0`).update(await readFile(join(source, file)));
  return hash.digest("hex").slice(0, 16);
}

/** A running stand-in: where kube-apiserver reaches it, and how to stop it. */
export interface KubeletStandIn {
  /** The port on 127.0.0.1 (the Node's `daemonEndpoints.kubeletEndpoint.Port`). */
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts the stand-in with the cluster's kubelet serving certificate, trusting client certificates of the cluster's
 * CA (kube-apiserver's `--kubelet-client-certificate`). It dies with this process.
 */
export async function startKubeletStandIn(binary: string, cluster: Pick<LocalClusterInfo, "caFile" | "kubelet">): Promise<KubeletStandIn> {
  const dir = await mkdtemp(join(tmpdir(), "kubetyped-kubelet-"));
  const logFile = join(dir, "kubelet-standin.log");
  const args = ["--cert", cluster.kubelet.certFile, "--key", cluster.kubelet.keyFile, "--client-ca", cluster.caFile, "--listen", "127.0.0.1:0"];
  const child = await spawnLogged(binary, args, { logFile, detached: false });
  const disarm = killWithParent([child], dir);
  const stop = async () => {
    await terminateProcess(child.pid!);
    disarm();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const port = await waitForListening(logFile, () => child.exitCode !== null || child.signalCode !== null);
    return { port, pid: child.pid!, logFile, stop };
  } catch (error) {
    await stop().catch(() => removeFolderQuietly(dir));
    throw error;
  }
}

/** The stand-in prints `listening on 127.0.0.1:PORT` once it accepts connections. */
async function waitForListening(logFile: string, exited: () => boolean, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /listening on [^\s:]+:(\d+)/.exec(await readFile(logFile, "utf8").catch(() => ""));
    if (match) return Number(match[1]);
    if (exited()) break;
    await new Promise((wake) => setTimeout(wake, 50));
  }
  throw new Error(`the kubelet stand-in did not start listening within ${timeoutMs / 1000} s; last lines of ${logFile}:\n${await tailFile(logFile)}`);
}

/** Who may register nodes and bind pods: the cluster's admin. */
function adminOf(cluster: Pick<LocalClusterInfo, "caFile" | "admin">): ProbeCredentials {
  return { caFile: cluster.caFile, token: cluster.admin.token };
}

/** Creates (or replaces) a Ready Node whose kubelet is the stand-in at 127.0.0.1:`port`. */
export async function registerStandInNode(cluster: Pick<LocalClusterInfo, "server" | "caFile" | "admin">, name: string, port: number): Promise<void> {
  const admin = adminOf(cluster);
  const base = `${cluster.server}/api/v1/nodes`;
  const existing = await probe(`${base}/${name}`, admin);
  const node = existing.status === 200 ? (JSON.parse(existing.body) as Record<string, unknown>) : await expectCreated(await probe(base, admin, { method: "POST", body: { apiVersion: "v1", kind: "Node", metadata: { name } } }), `node ${name}`);
  node.status = {
    addresses: [
      { type: "InternalIP", address: "127.0.0.1" },
      { type: "Hostname", address: "localhost" },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: port } },
    conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubetyped kubelet stand-in", lastHeartbeatTime: now(), lastTransitionTime: now() }],
  };
  await expectOk(await probe(`${base}/${name}/status`, admin, { method: "PUT", body: node }), `status of node ${name}`);
}

/** Creates a Pod bound to `nodeName` with one container `app`, and marks it Running through its status subresource. */
export async function createRunningPod(cluster: Pick<LocalClusterInfo, "server" | "caFile" | "admin">, pod: { namespace: string; name: string; nodeName: string }): Promise<void> {
  const admin = adminOf(cluster);
  const base = `${cluster.server}/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods`;
  const body = { apiVersion: "v1", kind: "Pod", metadata: { name: pod.name }, spec: { nodeName: pod.nodeName, containers: [{ name: "app", image: "kubetyped.invalid/stand-in" }] } };
  const created = await expectCreated(await probe(base, admin, { method: "POST", body }), `pod ${pod.namespace}/${pod.name}`);
  created.status = {
    phase: "Running",
    conditions: [{ type: "Ready", status: "True", lastTransitionTime: now() }],
    containerStatuses: [{ name: "app", ready: true, restartCount: 0, image: "kubetyped.invalid/stand-in", imageID: "", started: true, state: { running: { startedAt: now() } } }],
  };
  await expectOk(await probe(`${base}/${encodeURIComponent(pod.name)}/status`, admin, { method: "PUT", body: created }), `status of pod ${pod.namespace}/${pod.name}`);
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

async function expectCreated(response: { status: number; body: string }, what: string): Promise<Record<string, unknown>> {
  if (response.status !== 201) throw new Error(`cannot create ${what}: HTTP ${response.status} ${response.body.slice(0, 300)}`);
  return JSON.parse(response.body);
}

async function expectOk(response: { status: number; body: string }, what: string): Promise<void> {
  if (response.status !== 200) throw new Error(`cannot update ${what}: HTTP ${response.status} ${response.body.slice(0, 300)}`);
}
