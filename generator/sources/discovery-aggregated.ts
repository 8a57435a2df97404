import { SourceError } from "./errors.js";
import { compare } from "./discovery-legacy.js";
import type { DiscoveredGroupVersion, DiscoveredResource, DiscoveredSubresource, SkippedGroupVersion } from "./types.js";
import { apiVersionOf } from "../../runtime/core/group-version.js";

interface GroupVersionKind {
  group?: string;
  version?: string;
  kind?: string;
}

interface AggregatedSubresource {
  subresource: string;
  responseKind?: GroupVersionKind;
  verbs?: string[];
}

interface AggregatedResource {
  resource: string;
  responseKind?: GroupVersionKind;
  scope?: "Cluster" | "Namespaced";
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: AggregatedSubresource[];
}

interface AggregatedVersion {
  version: string;
  resources?: AggregatedResource[];
  freshness?: "Current" | "Stale";
}

export interface AggregatedDiscoveryList {
  apiVersion?: string;
  kind: "APIGroupDiscoveryList";
  items?: Array<{ metadata?: { name?: string }; versions?: AggregatedVersion[] }>;
}

const SUPPORTED_VERSIONS = ["apidiscovery.k8s.io/v2", "apidiscovery.k8s.io/v2beta1"];

export function isAggregatedDiscoveryList(value: unknown): value is AggregatedDiscoveryList {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "APIGroupDiscoveryList";
}

/**
 * Reads an `APIGroupDiscoveryList` (v2 or v2beta1: same shape). Versions are listed in preference order,
 * so the first is the preferred one. A version marked `freshness: Stale` (its aggregated server did not
 * answer) is skipped, not fatal.
 */
export function parseAggregatedDiscovery(
  list: AggregatedDiscoveryList,
  url: string,
  include: (group: string, version: string) => boolean,
): { groupVersions: DiscoveredGroupVersion[]; skipped: SkippedGroupVersion[]; served: Array<{ group: string; version: string }> } {
  if (!SUPPORTED_VERSIONS.includes(list.apiVersion ?? "")) {
    throw new SourceError(
      `aggregated discovery apiVersion ${JSON.stringify(list.apiVersion)} is not supported (expected ${SUPPORTED_VERSIONS.join(" or ")})`,
      { url, pointer: "/apiVersion" },
    );
  }
  const groupVersions: DiscoveredGroupVersion[] = [];
  const skipped: SkippedGroupVersion[] = [];
  const served: Array<{ group: string; version: string }> = [];
  for (const item of list.items ?? []) {
    const group = item.metadata?.name ?? "";
    (item.versions ?? []).forEach((entry, index) => {
      served.push({ group, version: entry.version });
      if (!include(group, entry.version)) return;
      const groupVersion = apiVersionOf(group, entry.version);
      if (entry.freshness === "Stale") {
        skipped.push({ groupVersion, reason: "aggregated discovery marks it Stale (the API server serving it did not answer)" });
        return;
      }
      const resources = (entry.resources ?? []).map((resource) => toResource(resource, group, entry.version));
      resources.sort((a, b) => compare(a.plural, b.plural));
      groupVersions.push({ group, version: entry.version, preferred: index === 0, resources });
    });
  }
  return { groupVersions, skipped, served };
}

function toResource(entry: AggregatedResource, group: string, version: string): DiscoveredResource {
  const kind = entry.responseKind?.kind ?? "";
  const subresources = (entry.subresources ?? []).map((sub) => toSubresource(sub, group, version));
  subresources.sort((a, b) => compare(a.name, b.name));
  return {
    plural: entry.resource,
    singular: entry.singularResource || kind.toLowerCase(),
    kind,
    namespaced: entry.scope === "Namespaced",
    verbs: [...(entry.verbs ?? [])],
    shortNames: [...(entry.shortNames ?? [])],
    categories: [...(entry.categories ?? [])],
    subresources,
  };
}

function toSubresource(entry: AggregatedSubresource, group: string, version: string): DiscoveredSubresource {
  const subresource: DiscoveredSubresource = {
    name: entry.subresource,
    kind: entry.responseKind?.kind ?? "",
    verbs: [...(entry.verbs ?? [])],
  };
  const kindGroup = entry.responseKind?.group;
  const kindVersion = entry.responseKind?.version;
  // Only record a group/version when discovery names one that differs (e.g. deployments/scale → autoscaling/v1).
  if (kindVersion && kindGroup !== undefined && (kindGroup !== group || kindVersion !== version)) {
    subresource.group = kindGroup;
    subresource.version = kindVersion;
  }
  return subresource;
}
