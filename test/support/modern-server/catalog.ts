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
import { readUpstreamDiscovery, UPSTREAM_DISCOVERY_VERSION, type UpstreamDiscovery } from "./upstream-discovery.js";

/** Everything one version's server serves, in the order it lists it. */
export interface ApiCatalog {
  core: ServedGroupVersion[];
  /** Named groups in `/apis` order, versions in preference order. */
  groups: Array<{ name: string; versions: ServedGroupVersion[] }>;
  /** `core/v1`-free lookup by `v1` / `<group>/<version>`. */
  byGroupVersion: Map<string, ServedGroupVersion>;
  /** Upstream discovery: the recorded `/apis` answers, byte for byte, per aggregated discovery version. */
  recordedApis?: UpstreamDiscovery["texts"];
}

/**
 * Where the named groups' discovery comes from: `derived` from the OpenAPI documents' paths, or `upstream`,
 * the Kubernetes project's recorded aggregated discovery (1.31 only; see upstream-discovery.ts).
 */
export type DiscoverySource = "derived" | "upstream";

/**
 * Built-in group/versions come from `../shared/k8s/openapi-v3/<version>`, with discovery derived from their
 * paths by the generator's own `deriveDiscoveryFromOpenApiV3` (checked against a real server's recorded
 * discovery in test/corpus/derive-discovery.test.ts). Short names and categories are not in OpenAPI and
 * stay empty for built-in resources. CRD files add their served versions.
 */
export function buildApiCatalog(version: KubernetesVersion, crdFiles: readonly string[] = [], discovery: DiscoverySource = "derived"): Promise<ApiCatalog> {
  if (discovery === "upstream" && version !== UPSTREAM_DISCOVERY_VERSION) {
    throw new Error(`upstream discovery is a ${UPSTREAM_DISCOVERY_VERSION}-era recording; start the server with version "${UPSTREAM_DISCOVERY_VERSION}"`);
  }
  // Catalogs are read-only and take a second or more to build (9 MB of JSON, large CRDs): build each once.
  const key = JSON.stringify([version, discovery, ...crdFiles]);
  const cached = catalogs.get(key);
  if (cached !== undefined) return cached;
  const building = readApiCatalog(version, crdFiles, discovery);
  catalogs.set(key, building);
  building.catch(() => catalogs.delete(key));
  return building;
}

const catalogs = new Map<string, Promise<ApiCatalog>>();

async function readApiCatalog(version: KubernetesVersion, crdFiles: readonly string[], discovery: DiscoverySource): Promise<ApiCatalog> {
  const folder = sharedK8sPath("openapi-v3", version);
  const source = await loadOpenApiV3Folder(folder);
  if (source.openapi.kind !== "v3") throw new Error(`${folder} did not load as OpenAPI v3 documents`);
  const documents = source.openapi.documents;
  const upstream = discovery === "upstream" ? await readUpstreamDiscovery() : undefined;
  // Upstream: only the core group is derived (the recording has none); the named groups are the recording's.
  const derived = source.groupVersions.filter((gv) => upstream === undefined || gv.group === "");
  const served: ServedGroupVersion[] = derived.map((gv) => builtinGroupVersion(gv, documents));
  const recorded = upstream === undefined ? [] : upstreamGroups(upstream, documents);
  served.push(...recorded.flatMap((group) => group.versions));

  const crds = (await Promise.all(crdFiles.map((file) => readCustomResourceDefinitions(file)))).flat();
  const custom = crdGroupVersions(crds, documents, served);
  served.push(...custom);

  // Upstream: the named groups in the recorded order (a real server's), CRD groups after them as always.
  const ordered =
    upstream === undefined
      ? orderGroups(served)
      : [...orderGroups(served.filter((gv) => gv.group === "")), ...recorded.map((group) => ({ group: group.name, versions: group.versions })), ...orderGroups(custom)];
  return {
    core: ordered.find((entry) => entry.group === "")?.versions ?? [],
    groups: ordered.filter((entry) => entry.group !== "").map((entry) => ({ name: entry.group, versions: entry.versions })),
    byGroupVersion: new Map(served.map((gv) => [groupVersionString(gv), gv])),
    ...(upstream === undefined ? {} : { recordedApis: upstream.texts }),
  };
}

/**
 * The recorded groups with the 1.31 document of each group/version; a group/version the documents lack is
 * served in discovery as recorded and left out of `/openapi/v3` (as a server whose aggregated API publishes
 * no OpenAPI). Resources whose kind no document declares stay in discovery too: the generator says so.
 */
function upstreamGroups(upstream: UpstreamDiscovery, documents: Map<string, OpenAPIV3.Document>): Array<{ name: string; versions: ServedGroupVersion[] }> {
  return upstream.groups.map((group) => ({
    name: group.name,
    versions: group.versions.map((entry) => {
      const document = documents.get(`${group.name}/${entry.version}`);
      return {
        group: group.name,
        version: entry.version,
        custom: false,
        resources: entry.resources,
        ...(document === undefined ? {} : { openapi: servedDocument(document) }),
      };
    }),
  }));
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
