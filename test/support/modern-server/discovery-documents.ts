import type { ApiCatalog } from "./catalog.js";
import { groupVersionString, type ServedGroupVersion, type ServedResource } from "./served-api.js";
import type { AggregatedDiscoveryVersion } from "./versions.js";

/** `/api` in legacy form. */
export function apiVersionsDocument(catalog: ApiCatalog, serverAddress: string): unknown {
  return {
    kind: "APIVersions",
    versions: catalog.core.map((gv) => gv.version),
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

/** `/apis` in legacy form. */
export function apiGroupListDocument(catalog: ApiCatalog): unknown {
  return { kind: "APIGroupList", apiVersion: "v1", groups: catalog.groups.map((group) => apiGroup(group)) };
}

/** `/apis/<group>`. */
export function apiGroupDocument(group: ApiCatalog["groups"][number]): unknown {
  return { kind: "APIGroup", apiVersion: "v1", ...apiGroup(group) };
}

function apiGroup(group: ApiCatalog["groups"][number]) {
  const entry = (gv: ServedGroupVersion) => ({ groupVersion: groupVersionString(gv), version: gv.version });
  return { name: group.name, versions: group.versions.map(entry), preferredVersion: entry(group.versions[0]!) };
}

/** `/api/v1` or `/apis/<group>/<version>`: resources, then each one's subresources as `plural/sub`. */
export function apiResourceListDocument(gv: ServedGroupVersion): unknown {
  const resources = (gv.custom ? gv.resources : [...gv.resources].sort((a, b) => compare(a.plural, b.plural))).flatMap((resource) => [
    {
      name: resource.plural,
      singularName: resource.singular,
      namespaced: resource.namespaced,
      kind: resource.kind,
      verbs: resource.verbs,
      ...(resource.shortNames.length > 0 ? { shortNames: resource.shortNames } : {}),
      ...(resource.categories.length > 0 ? { categories: resource.categories } : {}),
    },
    ...resource.subresources.map((sub) => ({
      name: `${resource.plural}/${sub.name}`,
      singularName: "",
      namespaced: resource.namespaced,
      ...(sub.group !== undefined ? { group: sub.group, version: sub.version } : {}),
      kind: sub.kind,
      verbs: sub.verbs,
    })),
  ]);
  return { kind: "APIResourceList", ...(gv.group === "" ? {} : { apiVersion: "v1" }), groupVersion: groupVersionString(gv), resources };
}

/** Per group/version freshness; anything not named is `Current`. */
export type FreshnessOf = (gv: ServedGroupVersion) => "Current" | "Stale";

/** `/api` or `/apis` as an `APIGroupDiscoveryList` (v2 and v2beta1 share the shape). */
export function aggregatedDiscoveryDocument(
  groups: Array<{ name: string; versions: ServedGroupVersion[] }>,
  apiVersion: AggregatedDiscoveryVersion,
  freshnessOf: FreshnessOf,
): unknown {
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${apiVersion}`,
    metadata: {},
    items: groups.map((group) => ({
      metadata: { ...(group.name === "" ? {} : { name: group.name }), creationTimestamp: null },
      versions: group.versions.map((gv) => ({
        version: gv.version,
        resources: [...gv.resources].sort((a, b) => compare(a.plural, b.plural)).map((resource) => aggregatedResource(gv, resource)),
        freshness: freshnessOf(gv),
      })),
    })),
  };
}

/**
 * Built-in entries name `responseKind` group/version only where they differ from the group/version being
 * listed (`deployments/scale` → autoscaling/v1); CRD entries always name them.
 */
function aggregatedResource(gv: ServedGroupVersion, resource: ServedResource) {
  const responseKind = (kind: string, group?: string, version?: string) =>
    gv.custom ? { group: group ?? gv.group, version: version ?? gv.version, kind } : { group: group ?? "", version: version ?? "", kind };
  const subresources = [...resource.subresources].sort((a, b) => compare(a.name, b.name));
  return {
    resource: resource.plural,
    responseKind: responseKind(resource.kind),
    scope: resource.namespaced ? "Namespaced" : "Cluster",
    singularResource: resource.singular,
    verbs: resource.verbs,
    ...(resource.shortNames.length > 0 ? { shortNames: resource.shortNames } : {}),
    ...(resource.categories.length > 0 ? { categories: resource.categories } : {}),
    ...(subresources.length > 0
      ? { subresources: subresources.map((sub) => ({ subresource: sub.name, responseKind: responseKind(sub.kind, sub.group, sub.version), verbs: sub.verbs })) }
      : {}),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
