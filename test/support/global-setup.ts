import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { canBuildControlPlane, ensureControlPlaneBinaries } from "../../local-cluster/binaries.js";
import { startLocalCluster, type LocalCluster } from "../../local-cluster/cluster.js";
import type { LocalClusterAvailability } from "../../local-cluster/types.js";
import type {} from "./provided-context.js";

const log = (line: string) => process.stderr.write(`[local-cluster] ${line}\n`);

/**
 * Starts one etcd + kube-apiserver for the whole run (building kube-apiserver on first need) and
 * provides its plain-data description to tests. Missing binaries are reported, not thrown, so unit
 * tests still run; describeWithCluster() turns the reason into a skip (or a failure in CI).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tmpRoot = await mkdtemp(join(tmpdir(), "kubetyped-test-"));
  project.provide("kubetypedTmpRoot", tmpRoot);
  const cluster = await startClusterIfPossible();
  project.provide("cluster", describeAvailability(cluster));
  return async () => {
    if (!(cluster instanceof Error) && cluster !== undefined) await cluster.stop();
    await rm(tmpRoot, { recursive: true, force: true });
  };
}

async function startClusterIfPossible(): Promise<LocalCluster | Error | undefined> {
  if (process.env.KUBETYPED_NO_CLUSTER === "1") return undefined;
  try {
    const binaries = await ensureControlPlaneBinaries({ build: await canBuildControlPlane(), log });
    return await startLocalCluster({ binaries, log });
  } catch (error) {
    log(`no local cluster for this run: ${(error as Error).message}`);
    return error as Error;
  }
}

function describeAvailability(cluster: LocalCluster | Error | undefined): LocalClusterAvailability {
  if (cluster === undefined) return { available: false, reason: "KUBETYPED_NO_CLUSTER=1" };
  if (cluster instanceof Error) return { available: false, reason: cluster.message };
  const { stop: _stop, ...info } = cluster;
  return { available: true, ...info };
}
