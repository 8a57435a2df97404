import type { DiscoveredGroupVersion, DiscoveredResource, DiscoveredSubresource } from "./types.js";
import { groupVersionKey } from "../../runtime/core/group-version.js";

/** `APIResource` as `/api/v1` and `/apis/<g>/<v>` list it (subresources appear as `jobs/status`). */
interface LegacyApiResource {
  name: string;
  singularName?: string;
  namespaced?: boolean;
  kind?: string;
  group?: string;
  version?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

export interface LegacyResourceList {
  kind?: string;
  groupVersion?: string;
  resources?: LegacyApiResource[];
}

/**
 * Folds an `APIResourceList` into resources with their subresources: `jobs/status` becomes the `status`
 * subresource of `jobs`, keeping its own kind (and group/version when discovery names another, as for
 * `deployments/scale` → autoscaling/v1 Scale). Returns warnings for subresources whose parent is missing.
 */
export function foldLegacyResourceList(
  group: string,
  version: string,
  preferred: boolean,
  list: LegacyResourceList,
): { groupVersion: DiscoveredGroupVersion; warnings: string[] } {
  const warnings: string[] = [];
  const entries = Array.isArray(list.resources) ? list.resources : [];
  const byPlural = new Map<string, DiscoveredResource>();
  for (const entry of entries) {
    if (typeof entry?.name === "string" && !entry.name.includes("/")) byPlural.set(entry.name, toResource(entry));
  }
  for (const entry of entries) {
    if (typeof entry?.name !== "string" || !entry.name.includes("/")) continue;
    const [parentName, ...rest] = entry.name.split("/");
    const parent = byPlural.get(parentName as string);
    if (parent === undefined) {
      warnings.push(`${groupVersionKey(group, version)}: subresource ${entry.name} has no parent resource ${parentName}; ignored`);
      continue;
    }
    parent.subresources.push(toSubresource(rest.join("/"), entry, group, version));
  }
  const resources = [...byPlural.values()].sort((a, b) => compare(a.plural, b.plural));
  for (const resource of resources) resource.subresources.sort((a, b) => compare(a.name, b.name));
  return { groupVersion: { group, version, preferred, resources }, warnings };
}

function toResource(entry: LegacyApiResource): DiscoveredResource {
  const kind = entry.kind ?? "";
  return {
    plural: entry.name,
    // 1.20 servers send singularName "" for built-ins; kubectl falls back to the lower-cased kind the same way.
    singular: entry.singularName || kind.toLowerCase(),
    kind,
    namespaced: entry.namespaced === true,
    verbs: [...(entry.verbs ?? [])],
    shortNames: [...(entry.shortNames ?? [])],
    categories: [...(entry.categories ?? [])],
    subresources: [],
  };
}

function toSubresource(name: string, entry: LegacyApiResource, group: string, version: string): DiscoveredSubresource {
  const subresource: DiscoveredSubresource = { name, kind: entry.kind ?? "", verbs: [...(entry.verbs ?? [])] };
  if (entry.group !== undefined && entry.version !== undefined && (entry.group !== group || entry.version !== version)) {
    subresource.group = entry.group;
    subresource.version = entry.version;
  }
  return subresource;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
