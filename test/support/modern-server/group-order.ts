import { compareVersionPriority } from "../../../generator/sources/derive-discovery.js";

/**
 * The order a real server lists groups and versions in: kube-aggregator sorts APIServices by
 * `groupPriorityMinimum` (descending), then by name (`<version>.<group>`), and lists each group where it
 * first appears; versions within a group by `versionPriority`, then Kubernetes version order. The
 * priorities are those kube-apiserver registers for built-in groups (cmd/kube-apiserver/app/aggregator.go);
 * CRD groups get 1000. `apiregistration.k8s.io` is served by the aggregator itself and always comes first.
 */
const GROUP_PRIORITIES: Record<string, number> = {
  "apiregistration.k8s.io": Number.MAX_SAFE_INTEGER,
  extensions: 17900,
  apps: 17800,
  "events.k8s.io": 17750,
  "authentication.k8s.io": 17700,
  "authorization.k8s.io": 17600,
  autoscaling: 17500,
  batch: 17400,
  "certificates.k8s.io": 17300,
  "networking.k8s.io": 17200,
  policy: 17100,
  "rbac.authorization.k8s.io": 17000,
  "storage.k8s.io": 16800,
  "admissionregistration.k8s.io": 16700,
  "apiextensions.k8s.io": 16700,
  "scheduling.k8s.io": 16600,
  "coordination.k8s.io": 16500,
  "node.k8s.io": 16300,
  "discovery.k8s.io": 16200,
  "resource.k8s.io": 16200,
  "flowcontrol.apiserver.k8s.io": 16100,
  "internal.apiserver.k8s.io": 16000,
  "storagemigration.k8s.io": 15800,
};

/** Where the registered version priorities differ from Kubernetes version order (v2beta1 over v2beta2). */
const VERSION_PRIORITIES: Record<string, Record<string, number>> = {
  autoscaling: { v2: 30, v1: 15, v2beta1: 9, v2beta2: 1 },
};

export const CRD_GROUP_PRIORITY = 1000;

export interface OrderableGroupVersion {
  group: string;
  version: string;
  /** Custom resource groups sort after every built-in group. */
  custom: boolean;
}

/** Groups in listing order, each with its versions in preference order (the first is preferred). */
export function orderGroups<T extends OrderableGroupVersion>(groupVersions: readonly T[]): Array<{ group: string; versions: T[] }> {
  const priorityOf = (gv: T) => (gv.custom ? CRD_GROUP_PRIORITY : (GROUP_PRIORITIES[gv.group] ?? CRD_GROUP_PRIORITY + 1));
  const apiServices = [...groupVersions].sort((a, b) => {
    const byPriority = priorityOf(b) - priorityOf(a);
    if (byPriority !== 0) return byPriority;
    const nameA = `${a.version}.${a.group}`;
    const nameB = `${b.version}.${b.group}`;
    return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
  });
  const groups = new Map<string, T[]>();
  for (const gv of apiServices) groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv]);
  return [...groups.entries()].map(([group, versions]) => ({ group, versions: versions.sort((a, b) => compareVersions(group, a.version, b.version)) }));
}

function compareVersions(group: string, a: string, b: string): number {
  const table = VERSION_PRIORITIES[group];
  const byTable = table === undefined ? 0 : (table[b] ?? 0) - (table[a] ?? 0);
  return byTable !== 0 ? byTable : compareVersionPriority(a, b);
}
