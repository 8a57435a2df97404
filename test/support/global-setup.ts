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
  // Binaries one after the other (a build would compete for the same two cores), then both started at once:
  // a start-up is mostly waiting for etcd and the API server to answer, which the other's start-up fills.
  const releases = [undefined, OLDEST_RELEASE];
  const binaries = [];
  for (const release of releases) binaries.push(await binariesIfPossible(release));
  const [cluster, oldest] = await Promise.all(binaries.map(startIfPossible));
  project.provide("cluster", describeAvailability(cluster));
  project.provide("oldestCluster", describeAvailability(oldest));
  return async () => {
    await Promise.all([cluster, oldest].map((started) => (started instanceof Error || started === undefined ? undefined : started.stop())));
    await rm(tmpRoot, { recursive: true, force: true });
  };
}

type Binaries = Awaited<ReturnType<typeof ensureControlPlaneBinaries>>;

async function binariesIfPossible(release?: ControlPlaneRelease): Promise<Binaries | Error | undefined> {
  if (process.env.KUBETYPED_NO_CLUSTER === "1") return undefined;
  try {
    return await ensureControlPlaneBinaries({ build: await canBuildControlPlane(process.env, release), release, log });
  } catch (error) {
    log(`no local cluster for this run: ${(error as Error).message}`);
    return error as Error;
  }
}

async function startIfPossible(binaries: Binaries | Error | undefined): Promise<LocalCluster | Error | undefined> {
  if (binaries === undefined || binaries instanceof Error) return binaries;
  try {
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
