import { describe, inject, it } from "vitest";
import type { LocalClusterInfo } from "../../local-cluster/types.js";
import type {} from "./provided-context.js";

export type { LocalClusterInfo } from "../../local-cluster/types.js";

/** Which of the run's control planes: the newest release (the default) or the oldest supported (v1.20.2). */
export type ClusterRole = "cluster" | "oldestCluster";

/** The run's local control plane; throws with the reason when there is none. */
export function requireCluster(role: ClusterRole = "cluster"): LocalClusterInfo {
  const cluster = inject(role);
  if (cluster === undefined) {
    throw new Error("no local cluster was provided: run through vitest.config.ts, whose globalSetup is test/support/global-setup.ts");
  }
  if (!cluster.available) throw new Error(`the local cluster is unavailable: ${cluster.reason}`);
  const { available: _available, ...info } = cluster;
  return info;
}

/**
 * A describe block that needs the local cluster. Without one it fails when CI is set and is skipped
 * otherwise, naming what is missing.
 */
export function describeWithCluster(name: string, fn: (cluster: LocalClusterInfo) => void, role: ClusterRole = "cluster"): void {
  const cluster = inject(role);
  if (cluster?.available) {
    const { available: _available, ...info } = cluster;
    describe(name, () => fn(info));
    return;
  }
  const reason = cluster?.reason ?? "vitest ran without test/support/global-setup.ts";
  // An explicit opt-out (fast unit runs) skips even under CI.
  const optedOut = process.env.KUBETYPED_NO_CLUSTER === "1";
  describeUnavailable(name, `needs the local cluster (etcd + kube-apiserver): ${reason}`, { failInCi: !optedOut });
}

/**
 * A describe block run against the newest and the oldest control plane, for behaviour that differs by version
 * (discovery, OpenAPI, apply, warnings, streams, upgrade). Its name gains the server's version.
 */
export function describeWithEachCluster(name: string, fn: (cluster: LocalClusterInfo) => void): void {
  for (const role of ["cluster", "oldestCluster"] as const) {
    const cluster = inject(role);
    const label = cluster?.available ? cluster.version : role === "cluster" ? "newest" : "v1.20.2";
    describeWithCluster(`${name} [${label}]`, fn, role);
  }
}

/** Shared by the cluster and shared-data guards: fail in CI, skip with a warning elsewhere. */
export function describeUnavailable(name: string, why: string, options: { failInCi: boolean } = { failInCi: true }): void {
  if (process.env.CI && options.failInCi) {
    describe(name, () => {
      it(why, () => {
        throw new Error(`${why} (CI is set, so this fails instead of skipping)`);
      });
    });
    return;
  }
  console.warn(`skipping "${name}": ${why}`);
  describe.skip(name, () => {
    it(why, () => {});
  });
}
