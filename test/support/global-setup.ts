import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { canBuildControlPlane, ensureControlPlaneBinaries } from "../../local-cluster/binaries.js";
import { startLocalCluster, type LocalCluster } from "../../local-cluster/cluster.js";
import { OLDEST_RELEASE, type ControlPlaneRelease } from "../../local-cluster/releases.js";
import type { LocalClusterAvailability } from "../../local-cluster/types.js";
import type {} from "./provided-context.js";

const log = (line: string) => process.stderr.write(`[local-cluster] ${line}\n`);

/**
 * Starts two etcd + kube-apiserver pairs for the whole run, the newest release and the oldest (building each on
 * first need), and provides their plain-data descriptions to tests. Missing binaries are reported, not thrown,
 * so unit tests still run; describeWithCluster() turns the reason into a skip (or a failure in CI).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tmpRoot = await mkdtemp(join(tmpdir(), "kubetyped-test-"));
  project.provide("kubetypedTmpRoot", tmpRoot);
  // One after the other: both builds (and both start-ups) would compete for the same two cores.
  const cluster = await startClusterIfPossible();
  const oldest = await startClusterIfPossible(OLDEST_RELEASE);
  project.provide("cluster", describeAvailability(cluster));
  project.provide("oldestCluster", describeAvailability(oldest));
  return async () => {
    for (const started of [cluster, oldest]) if (!(started instanceof Error) && started !== undefined) await started.stop();
    await rm(tmpRoot, { recursive: true, force: true });
  };
}

async function startClusterIfPossible(release?: ControlPlaneRelease): Promise<LocalCluster | Error | undefined> {
  if (process.env.KUBETYPED_NO_CLUSTER === "1") return undefined;
  try {
    const binaries = await ensureControlPlaneBinaries({ build: await canBuildControlPlane(process.env, release), release, log });
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
