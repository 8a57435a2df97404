// Port-forward throughput through kube-apiserver to the kubelet stand-in, in MB/s both ways: kubetyped's session
// stream and its local listener, `kubectl port-forward` through the same server, and the loopback floor without either.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect as connectTcp } from "node:net";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { createRunningPod, ensureKubeletStandIn, registerStandInNode, startKubeletStandIn, type KubeletStandIn, type LocalClusterInfo } from "../../local-cluster/index.js";
import { connect, type KubeClient } from "../../runtime/index.js";
import { type PortForwardListener } from "../../runtime/entries/streams.js";
import { defineResource } from "../../runtime/entries/plumbing.js";
import { downloadRate, uploadRate } from "./bulk-transfer.js";
import type { RunContext } from "./context.js";

export const PORT_FORWARD_TABLE = "port-forward";
const COLUMNS = ["loopback", "kubetyped", "kubetyped listen", "kubectl"] as const;
type Column = (typeof COLUMNS)[number];
const NAMESPACE = "bench-port-forward";
const POD = "bulk";
const NODE = "bench-kubelet-standin";

const pods = defineResource<{ metadata?: { name?: string } }>()({
  group: "",
  version: "v1",
  plural: "pods",
  kind: "Pod",
  namespaced: true,
  verbs: ["get"],
  subresources: { portforward: { verbs: ["create", "get"], kind: "PodPortForwardOptions" } },
});
const namespaces = defineResource<{ metadata?: { name?: string } }>()({ group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false, verbs: ["create"] });

/** One byte stream to the bulk server, and how to let go of it. */
type Opened = { stream: Duplex; close(): Promise<void> };

interface Rig {
  openers: Partial<Record<Column, () => Promise<Opened>>>;
  missing: Partial<Record<Column, string>>;
  stop(): Promise<void>;
}

export async function runPortForward(context: RunContext): Promise<void> {
  const { megabytes, runs } = context.sizes.portForward;
  context.collector.table(
    PORT_FORWARD_TABLE,
    `Port-forward throughput through kube-apiserver (${megabytes} MB each way per transfer, a fresh connection each)`,
    COLUMNS,
    "To the kubelet stand-in (k8s.io/cri-streaming) on the same machine. kubetyped: its own protocol choice (the SPDY/3.1 WebSocket tunnel where served, " +
      "else the v4 channel WebSocket passed through to the kubelet); kubetyped listen: the same behind a local TCP port, as kubectl offers it; " +
      "kubectl: its own protocol choice (the tunnel where served); " +
      "loopback: straight to the far end, no server between.",
  );
  const rows = [
    { spec: { scenario: "upload (client → pod)", metric: "throughput", unit: "MB/s", better: "higher" as const }, measure: uploadRate },
    { spec: { scenario: "download (pod → client)", metric: "throughput", unit: "MB/s", better: "higher" as const }, measure: downloadRate },
  ];
  const cluster = "unavailable" in context.apiserver ? undefined : context.apiserver.cluster;
  const rig = cluster ? await startRig(context, cluster).catch((error: Error) => error) : new Error("needs a kube-apiserver this run starts (its kubelet certificates); run without --kubeconfig");
  try {
    for (const column of COLUMNS) {
      const why = rig instanceof Error ? rig.message.split("\n")[0]!.slice(0, 200) : rig.missing[column];
      if (why) for (const row of rows) context.collector.notApplicable(PORT_FORWARD_TABLE, row.spec, column, why);
    }
    if (rig instanceof Error) return;
    for (let round = 0; round < runs; round++) {
      for (const column of rotate(COLUMNS, round)) {
        const open = rig.openers[column];
        if (!open) continue;
        for (const row of rows) await measureOnce(context, row, column, open, megabytes * 1e6);
      }
    }
  } finally {
    if (!(rig instanceof Error)) await rig.stop();
  }
}

async function measureOnce(context: RunContext, row: { spec: Parameters<RunContext["collector"]["add"]>[1]; measure: typeof uploadRate }, column: Column, open: () => Promise<Opened>, bytes: number) {
  const opened = await open();
  try {
    context.collector.add(PORT_FORWARD_TABLE, row.spec, column, await row.measure(opened.stream, bytes));
  } catch (error) {
    context.log(`port-forward ${column} ${row.spec.scenario}: ${(error as Error).message}`);
    context.collector.notApplicable(PORT_FORWARD_TABLE, row.spec, column, (error as Error).message.slice(0, 200));
  } finally {
    await opened.close();
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const start = by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/** The stand-in, its Node and Pod, the bulk server and every contender's way in. */
async function startRig(context: RunContext, cluster: LocalClusterInfo): Promise<Rig> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    const standIn: KubeletStandIn = await startKubeletStandIn(await ensureKubeletStandIn({ build: true, log: context.log }), cluster);
    stops.push(() => standIn.stop());
    await registerStandInNode(cluster, NODE, standIn.port);
    const kube: KubeClient = await connect({ kubeconfig: cluster.kubeconfigPath, namespace: NAMESPACE });
    stops.push(() => kube.close());
    await kube.resource(namespaces).create({ metadata: { name: NAMESPACE } }).catch(() => {});
    await createRunningPod(cluster, { namespace: NAMESPACE, name: POD, nodeName: NODE });
    const server = await startBulkServer(context);
    stops.push(async () => server.child.kill());
    const listener: PortForwardListener = await kube.resource(pods).portforward.listen(POD, { port: server.port });
    stops.push(() => listener.close());
    const kubectl = await startKubectl(cluster.kubeconfigPath, server.port).catch((error: Error) => error);
    if (!(kubectl instanceof Error)) stops.push(async () => kubectl.child.kill());
    return {
      openers: {
        loopback: () => openTcp(server.port),
        kubetyped: async () => {
          const session = await kube.resource(pods).portforward(POD, { ports: [server.port] });
          const close = async () => {
            session.close();
            await session.closed;
          };
          return { stream: session.stream(server.port), close };
        },
        "kubetyped listen": () => openTcp(listener.address.port),
        ...(!(kubectl instanceof Error) && { kubectl: () => openTcp(kubectl.port) }),
      },
      missing: kubectl instanceof Error ? { kubectl: kubectl.message.slice(0, 200) } : {},
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function openTcp(port: number): Promise<Opened> {
  const socket = connectTcp(port, "127.0.0.1");
  await once(socket, "connect");
  return { stream: socket, close: async () => void socket.destroy() };
}

/** Starts a child and resolves with the first number `pattern` finds in its stdout. */
async function portFromChild(child: ChildProcess, pattern: RegExp, what: string): Promise<{ child: ChildProcess; port: number }> {
  let output = "";
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill(), reject(new Error(`${what} did not say its port within 30 s: ${errors.trim()}`))), 30_000);
    child.once("error", (error) => (clearTimeout(timer), reject(new Error(`${what}: ${error.message}`))));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`${what} exited with ${code}: ${errors.trim()}`))));
    child.stdout?.on("data", (chunk: Buffer) => {
      const match = pattern.exec((output += chunk.toString()));
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({ child, port: Number(match[1]) });
    });
  });
}

function startBulkServer(context: RunContext) {
  const child = spawn(process.execPath, [join(context.benchDir, "workers", "bulk-server.js")], { stdio: ["ignore", "pipe", "pipe"] });
  return portFromChild(child, /port (\d+)/, "the bulk server");
}

function startKubectl(kubeconfigPath: string, podPort: number) {
  const args = ["--kubeconfig", kubeconfigPath, "-n", NAMESPACE, "port-forward", `pod/${POD}`, `:${podPort}`, "--address", "127.0.0.1"];
  return portFromChild(spawn("kubectl", args, { stdio: ["ignore", "pipe", "pipe"] }), /Forwarding from 127\.0\.0\.1:(\d+)/, "kubectl port-forward");
}
