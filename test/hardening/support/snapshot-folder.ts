// A snapshot folder (as `kubetyped snapshot` records one) written from OpenAPI documents, so a test controls /version too.
import { groupVersionDocument, writeDocuments, type Json, type ResourceSpec } from "./documents.js";

export interface SnapshotGroupVersion {
  resources: ResourceSpec[];
  /** `components.schemas` of the document (ObjectMeta is added). */
  schemas: Record<string, Json>;
  /** Listed by discovery but not by the `/openapi/v3` index (the generator skips it with a warning). */
  unlisted?: boolean;
  /** The document's raw text instead of a JSON document built from `resources` and `schemas`. */
  rawDocument?: string;
}

/**
 * Writes aggregated discovery (`api.aggregated.json`, `apis.aggregated.json`), `/version`, the `/openapi/v3`
 * index and one document per group/version into `dir`. Every group/version is named `<group>/<version>` by
 * its first resource; group "" is the core group (`/api`, `api/v1`).
 */
export async function writeSnapshotFolder(dir: string, options: { gitVersion: string; groupVersions: SnapshotGroupVersion[] }): Promise<void> {
  const files: Record<string, Json | string> = { "version.json": { major: "1", minor: "30", gitVersion: options.gitVersion } };
  const core: Json[] = [];
  const items: Json[] = [];
  const index: Record<string, { serverRelativeURL: string }> = {};
  for (const [position, entry] of options.groupVersions.entries()) {
    const { group, version } = entry.resources[0]!;
    (group === "" ? core : items).push({ metadata: { name: group }, versions: [{ version, resources: entry.resources.map(discoveredResource) }] });
    if (entry.unlisted) continue;
    const urlPath = group === "" ? `api/${version}` : `apis/${group}/${version}`;
    index[urlPath] = { serverRelativeURL: `/openapi/v3/${urlPath}?hash=H${position}` };
    files[`openapi/v3/${urlPath}.json`] = entry.rawDocument ?? groupVersionDocument(entry.resources, entry.schemas);
  }
  files["api.aggregated.json"] = discoveryList(core);
  files["apis.aggregated.json"] = discoveryList(items);
  files["openapi/v3.json"] = { paths: index };
  await writeDocuments(dir, files);
}

function discoveryList(items: Json[]): Json {
  return { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", items };
}

function discoveredResource(resource: ResourceSpec): Json {
  return {
    resource: resource.plural,
    responseKind: { group: resource.group, version: resource.version, kind: resource.kind },
    scope: resource.namespaced === false ? "Cluster" : "Namespaced",
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
  };
}
