// The two targets of a run: the local control plane (started here, or an existing one by kubeconfig) and
// the canned HTTPS server, each described by a kubeconfig every contender reads.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalPki } from "../../local-cluster/pki.js";
import { ensureControlPlaneBinaries, startLocalCluster, type LocalClusterInfo } from "../../local-cluster/index.js";
import { NAMESPACES, WATCH_POD, watchBurstSize, type BenchSizes, type TargetInfo } from "../plan.js";
import { startCannedServer } from "../targets/canned-server.js";
import { adminClient, deleteBenchPods, podNames, seedPods } from "./admin.js";

export interface StartedTarget {
  info: TargetInfo;
  /** Pods the create/apply scenarios leave behind are removed between rounds. */
  resetWrites(): Promise<void>;
  stop(): Promise<void>;
  /** The control plane when this run started it: its PKI lets the port-forward section add a kubelet stand-in. */
  cluster?: LocalClusterInfo;
}

export async function startCannedTarget(sizes: BenchSizes): Promise<StartedTarget> {
  const dir = await mkdtemp(join(tmpdir(), "kubetyped-bench-canned-"));
  const pki = await createLocalPki(join(dir, "pki"));
  const server = await startCannedServer({
    certFile: pki.serving.certFile,
    keyFile: pki.serving.keyFile,
    listSize: sizes.listSize,
    bigCount: sizes.bigCount,
    watchEvents: watchBurstSize(sizes, "canned"),
    scaleCounts: sizes.scale.objectSeries,
    manyWatchEvents: sizes.scale.burstPerWatch,
  });
  const kubeconfigPath = join(dir, "kubeconfig");
  await writeFile(
    kubeconfigPath,
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      `- name: canned\n  cluster:\n    server: ${server.url}\n    certificate-authority: ${pki.caFile}`,
      "users:",
      "- name: canned\n  user:\n    token: bench-token",
      "contexts:",
      "- name: canned\n  context:\n    cluster: canned\n    user: canned\n    namespace: default",
      "current-context: canned",
      "",
    ].join("\n"),
  );
  return {
    info: { id: "canned", label: "canned HTTPS server", kubeconfigPath },
    resetWrites: async () => {},
    stop: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real kube-apiserver: `kubeconfigPath` reuses a running cluster (the e2e smoke test passes its own);
 * otherwise a local control plane is built if needed and started for the run.
 */
export async function startApiserverTarget(sizes: BenchSizes, log: (line: string) => void, kubeconfigPath?: string): Promise<StartedTarget & { version?: string }> {
  let stopCluster = async () => {};
  let version: string | undefined;
  let cluster: LocalClusterInfo | undefined;
  const reused = kubeconfigPath !== undefined;
  if (kubeconfigPath === undefined) {
    await ensureControlPlaneBinaries({ build: true, log });
    const started = await startLocalCluster({ log });
    kubeconfigPath = started.kubeconfigPath;
    version = started.version;
    stopCluster = () => started.stop();
    cluster = started;
  }
  const admin = await adminClient(kubeconfigPath);
  const started = performance.now();
  await seedPods(admin, NAMESPACES.read, podNames(sizes.listSize));
  await seedPods(admin, NAMESPACES.watch, [WATCH_POD]);
  await seedPods(admin, NAMESPACES.write, []);
  await deleteBenchPods(admin, NAMESPACES.write);
  await seedPods(admin, NAMESPACES.big, podNames(sizes.bigCount));
  version ??= String((await admin.send("GET", "/version")).json.gitVersion);
  log(`seeded ${sizes.listSize + sizes.bigCount + 1} pods in ${Math.round((performance.now() - started) / 1000)} s`);
  return {
    info: { id: "apiserver", label: `kube-apiserver ${version}`, kubeconfigPath },
    version,
    ...(cluster && { cluster }),
    resetWrites: () => deleteBenchPods(admin, NAMESPACES.write),
    stop: async () => {
      // A reused cluster gets its pods back out; a started one goes away whole.
      if (reused) for (const namespace of Object.values(NAMESPACES)) await deleteBenchPods(admin, namespace);
      await admin.close();
      await stopCluster();
    },
  };
}
