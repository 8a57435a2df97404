import type { OpenAPIV3 } from "openapi-types";
import { loadOpenApiV3Folder } from "../../../generator/sources/openapi-folder.js";
import type { DiscoveredGroupVersion } from "../../../generator/sources/types.js";
import { sharedK8sPath } from "../shared-data.js";
import { buildCrdOpenApiDocument } from "./crd-openapi.js";
import { crdResource, readCustomResourceDefinitions, type CustomResourceDefinition } from "./crd.js";
import { goJson, kubeContentHash } from "./go-json.js";
import { orderGroups } from "./group-order.js";
import { groupVersionString, type ServedGroupVersion } from "./served-api.js";
import type { KubernetesVersion } from "./versions.js";

/** Everything one version's server serves, in the order it lists it. */
export interface ApiCatalog {
  core: ServedGroupVersion[];
  /** Named groups in `/apis` order, versions in preference order. */
  groups: Array<{ name: string; versions: ServedGroupVersion[] }>;
  /** `core/v1`-free lookup by `v1` / `<group>/<version>`. */
  byGroupVersion: Map<string, ServedGroupVersion>;
}

/**
 * Built-in group/versions come from `../shared/k8s/openapi-v3/<version>`, with discovery derived from their
 * paths by the generator's own `deriveDiscoveryFromOpenApiV3` (checked against a real server's recorded
 * discovery in test/corpus/derive-discovery.test.ts). Short names and categories are not in OpenAPI and
 * stay empty for built-in resources. CRD files add their served versions.
 */
export function buildApiCatalog(version: KubernetesVersion, crdFiles: readonly string[] = []): Promise<ApiCatalog> {
  // Catalogs are read-only and take a second or more to build (9 MB of JSON, large CRDs): build each once.
  const key = JSON.stringify([version, ...crdFiles]);
  const cached = catalogs.get(key);
  if (cached !== undefined) return cached;
  const building = readApiCatalog(version, crdFiles);
  catalogs.set(key, building);
  building.catch(() => catalogs.delete(key));
  return building;
}

const catalogs = new Map<string, Promise<ApiCatalog>>();

async function readApiCatalog(version: KubernetesVersion, crdFiles: readonly string[]): Promise<ApiCatalog> {
  const folder = sharedK8sPath("openapi-v3", version);
  const source = await loadOpenApiV3Folder(folder);
  if (source.openapi.kind !== "v3") throw new Error(`${folder} did not load as OpenAPI v3 documents`);
  const documents = source.openapi.documents;
  const served: ServedGroupVersion[] = source.groupVersions.map((gv) => builtinGroupVersion(gv, documents));

  const crds = (await Promise.all(crdFiles.map((file) => readCustomResourceDefinitions(file)))).flat();
  served.push(...crdGroupVersions(crds, documents, served));

  const ordered = orderGroups(served);
  return {
    core: ordered.find((entry) => entry.group === "")?.versions ?? [],
    groups: ordered.filter((entry) => entry.group !== "").map((entry) => ({ name: entry.group, versions: entry.versions })),
    byGroupVersion: new Map(served.map((gv) => [groupVersionString(gv), gv])),
  };
}

function builtinGroupVersion(gv: DiscoveredGroupVersion, documents: Map<string, OpenAPIV3.Document>): ServedGroupVersion {
  const key = `${gv.group === "" ? "core" : gv.group}/${gv.version}`;
  const document = documents.get(key);
  if (document === undefined) throw new Error(`derived discovery names ${key} but no document was loaded for it`);
  return {
    group: gv.group,
    version: gv.version,
    custom: false,
    resources: gv.resources.map((resource) => ({ ...resource, subresources: resource.subresources.map((sub) => ({ ...sub })) })),
    openapi: servedDocument(document),
  };
}

function crdGroupVersions(
  crds: readonly CustomResourceDefinition[],
  builtins: Map<string, OpenAPIV3.Document>,
  existing: readonly ServedGroupVersion[],
): ServedGroupVersion[] {
  const byGroupVersion = new Map<string, { group: string; version: string; crds: CustomResourceDefinition[] }>();
  for (const crd of crds) {
    for (const version of crd.versions.filter((entry) => entry.served)) {
      const key = `${crd.group}/${version.name}`;
      if (existing.some((gv) => groupVersionString(gv) === key)) {
        throw new Error(`${crd.source} defines ${key}, which is a built-in group/version of this Kubernetes version`);
      }
      const entry = byGroupVersion.get(key) ?? { group: crd.group, version: version.name, crds: [] };
      if (entry.crds.some((other) => other.names.plural === crd.names.plural)) throw new Error(`${crd.source} repeats ${crd.names.plural}.${crd.group}`);
      entry.crds.push(crd);
      byGroupVersion.set(key, entry);
    }
  }
  return [...byGroupVersion.values()].map(({ group, version, crds: members }) => ({
    group,
    version,
    custom: true,
    resources: members.map((crd) => crdResource(crd, crd.versions.find((entry) => entry.name === version)!)),
    openapi: servedDocument(buildCrdOpenApiDocument(group, version, members, builtins)),
  }));
}

function servedDocument(document: OpenAPIV3.Document): { body: string; hash: string } {
  const body = goJson(document);
  return { body, hash: kubeContentHash(body) };
}
