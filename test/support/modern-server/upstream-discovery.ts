// The Kubernetes project's own recorded aggregated discovery (../shared/k8s/discovery-upstream), as the test server's named groups.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { sharedK8sPath } from "../shared-data.js";
import type { ServedResource, ServedSubresource } from "./served-api.js";
import type { AggregatedDiscoveryVersion } from "./versions.js";

/**
 * The recording is a 1.31-era `/apis` (upstream's hack/update-openapi-spec.sh at commit 0209a4cb, before 1.31
 * shipped): the server serves it with the 1.31 OpenAPI documents, the closest shared data has.
 */
export const UPSTREAM_DISCOVERY_VERSION = "1.31";

interface RecordedKind {
  group?: string;
  version?: string;
  kind: string;
}

interface RecordedResource {
  resource: string;
  responseKind: RecordedKind;
  scope: "Cluster" | "Namespaced";
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: Array<{ subresource: string; responseKind: RecordedKind; verbs?: string[] }>;
}

/** The recorded files, byte for byte, and their named groups as the server's catalog holds them (listing order). */
export interface UpstreamDiscovery {
  texts: Record<AggregatedDiscoveryVersion, string>;
  groups: Array<{ name: string; versions: Array<{ version: string; resources: ServedResource[] }> }>;
}

export async function readUpstreamDiscovery(): Promise<UpstreamDiscovery> {
  const folder = sharedK8sPath("discovery-upstream");
  const [v2, v2beta1] = await Promise.all(["aggregated_v2.json", "aggregated_v2beta1.json"].map((file) => readFile(path.join(folder, file), "utf8")));
  const list = JSON.parse(v2!) as { items: Array<{ metadata: { name: string }; versions: Array<{ version: string; resources?: RecordedResource[] }> }> };
  return {
    texts: { v2: v2!, v2beta1: v2beta1! },
    groups: list.items.map((item) => ({
      name: item.metadata.name,
      versions: item.versions.map((entry) => ({ version: entry.version, resources: (entry.resources ?? []).map(servedResource) })),
    })),
  };
}

function servedResource(recorded: RecordedResource): ServedResource {
  return {
    plural: recorded.resource,
    singular: recorded.singularResource ?? "",
    kind: recorded.responseKind.kind,
    namespaced: recorded.scope === "Namespaced",
    verbs: [...(recorded.verbs ?? [])],
    shortNames: [...(recorded.shortNames ?? [])],
    categories: [...(recorded.categories ?? [])],
    subresources: (recorded.subresources ?? []).map((sub): ServedSubresource => ({
      name: sub.subresource,
      kind: sub.responseKind.kind,
      // An empty group/version means the parent's own, as built-in entries say it.
      ...(sub.responseKind.version ? { group: sub.responseKind.group ?? "", version: sub.responseKind.version } : {}),
      verbs: [...(sub.verbs ?? [])],
    })),
  };
}
