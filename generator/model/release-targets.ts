// A folder of a Kubernetes release (../shared/k8s/openapi-v3/1.25) describes the built-in API only: the user's CRD groups come from the other targets.
import type { SourceSet } from "../sources/types.js";
import type { ApiModel, GroupModel } from "./ir.js";

/**
 * Every group kube-apiserver itself has served (core as ""), from 1.16 to 1.35. Any other group comes from a
 * CRD or an aggregated API server (cert-manager.io, metrics.k8s.io, gateway.networking.k8s.io): an extension
 * of one cluster, which no release folder can describe.
 */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  "", "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "apps", "authentication.k8s.io",
  "authorization.k8s.io", "autoscaling", "batch", "certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io",
  "events.k8s.io", "extensions", "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io", "networking.k8s.io",
  "node.k8s.io", "policy", "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io",
  "storagemigration.k8s.io",
]);

export function isBuiltInGroup(group: string): boolean {
  return BUILT_IN_GROUPS.has(group);
}

/**
 * An OpenAPI folder (no discovery, no /version) whose documents describe built-in groups only: a Kubernetes
 * release (../shared/k8s/openapi-v3/1.25), not a cluster. A snapshot or a live cluster is one cluster, CRDs and all.
 */
export function isReleaseFolder(sources: Pick<SourceSet, "origin" | "hashes">): boolean {
  // An OpenAPI folder's inputs name each document by its module key (`core/v1`, `batch/v1`), before any is parsed.
  const groups = [...sources.hashes.keys()].map((key) => key.slice(0, key.lastIndexOf("/"))).map((group) => (group === "core" ? "" : group));
  return sources.origin.startsWith("openapi folder ") && groups.length > 0 && groups.every(isBuiltInGroup);
}

/**
 * `release` with the extension groups (not built in) that `others` serve and it does not, each taken whole
 * from the first model serving it (its versions and their type modules): what a cluster of that release
 * would serve once the same CRDs are installed. A built-in group or version the release lacks stays out: that
 * is the upgrade's real change. `carried` lists the group/versions added, sorted.
 */
export function withExtensionGroups(release: ApiModel, others: readonly ApiModel[]): { model: ApiModel; carried: string[] } {
  const served = new Set(release.groups.map((group) => group.name));
  const groups = [...release.groups];
  const modules = [...release.modules];
  const known = new Set(release.modules.map((module) => module.key));
  for (const other of others) {
    for (const group of other.groups) {
      if (isBuiltInGroup(group.name) || served.has(group.name)) continue;
      served.add(group.name);
      groups.push(group);
      const keys = new Set(group.versions.map((version) => version.key));
      for (const module of other.modules) {
        if (keys.has(module.key) && !known.has(module.key)) {
          known.add(module.key);
          modules.push(module);
        }
      }
    }
  }
  const carried = groups.slice(release.groups.length).flatMap((group) => group.versions.map((version) => version.key)).sort();
  return { model: { ...release, groups: groups.sort(byGroupName), modules: modules.sort((a, b) => compareText(a.key, b.key)) }, carried };
}

/** Core first, then by name: the order `ApiModel.groups` keeps. */
function byGroupName(a: GroupModel, b: GroupModel): number {
  return a.name === "" ? -1 : b.name === "" ? 1 : compareText(a.name, b.name);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
