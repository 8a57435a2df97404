// Writes the big cluster as a snapshot folder `kubetyped generate --from DIR` replays (the layout of
// generator/sources/snapshot-layout.ts, as `kubetyped snapshot` records a 1.35 server): /version, aggregated
// discovery for /api and /apis, the /openapi/v3 index naming each document by hash, and one OpenAPI v3
// document per group/version. Built-ins are the recorded 1.35 documents; the CRD groups come from scale-crds.ts.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { OpenAPIV3 } from "openapi-types";
import { compareVersionPriority, deriveDiscoveryFromOpenApiV3 } from "../../generator/sources/derive-discovery.js";
import { snapshotFile } from "../../generator/sources/snapshot-layout.js";
import type { DiscoveredGroupVersion, DiscoveredResource } from "../../generator/sources/types.js";
import { builtinParts, crdGroupVersionDocument, type BuiltinParts } from "./openapi-document.js";
import type { Crd } from "./scale-crds.js";

/** The built-in half of every snapshot, read once per run. */
export interface Builtins {
  /** `core/v1`, `batch/v1`, ... → the document's bytes. */
  bytes: Map<string, Buffer>;
  discovery: DiscoveredGroupVersion[];
  parts: BuiltinParts;
}

export async function readBuiltins(openApiFolder: string): Promise<Builtins> {
  const bytes = new Map<string, Buffer>();
  bytes.set("core/v1", await readFile(join(openApiFolder, "api", "v1.json")));
  for (const group of (await readdir(join(openApiFolder, "apis"))).sort()) {
    for (const file of (await readdir(join(openApiFolder, "apis", group))).sort()) bytes.set(`${group}/${file.replace(/\.json$/, "")}`, await readFile(join(openApiFolder, "apis", group, file)));
  }
  const documents = new Map([...bytes].map(([key, raw]) => [key, JSON.parse(raw.toString("utf8")) as OpenAPIV3.Document]));
  return { bytes, discovery: deriveDiscoveryFromOpenApiV3(documents), parts: builtinParts(documents) };
}

export interface ScaleSnapshot {
  dir: string;
  /** Each document's hash as the /openapi/v3 index names it, by group/version key. */
  hashes: Map<string, string>;
  /** The folder of OpenAPI documents alone (what openapi-typescript reads). */
  documentsDir: string;
  crds: number;
  groups: string[];
  groupVersions: number;
  /** Bytes of OpenAPI documents written. */
  documentBytes: number;
}

/** Writes `crds` (with the built-ins) into `dir`, which must be empty or absent. */
export async function writeScaleSnapshot(dir: string, crds: readonly Crd[], builtins: Builtins): Promise<ScaleSnapshot> {
  const hashes = new Map<string, string>();
  let documentBytes = 0;
  const put = async (key: string, body: Buffer | string) => {
    const urlPath = documentUrlPath(key);
    await writeFileIn(snapshotFile(dir, urlPath, false), body);
    hashes.set(key, documentHash(body));
    documentBytes += Buffer.byteLength(body);
  };
  for (const [key, raw] of builtins.bytes) await put(key, raw);
  const groups = crdGroups(crds);
  for (const [group, byVersion] of groups) {
    for (const [version, members] of byVersion) await put(`${group}/${version}`, JSON.stringify(crdGroupVersionDocument(group, version, members, builtins.parts)));
  }
  await writeDiscovery(dir, builtins.discovery, groups);
  await writeIndex(dir, hashes);
  await writeFileIn(snapshotFile(dir, "/version", false), JSON.stringify({ major: "1", minor: "35", gitVersion: "v1.35.0", platform: "linux/amd64" }));
  return {
    dir,
    hashes,
    documentsDir: join(dir, "openapi", "v3"),
    crds: crds.length,
    groups: [...groups.keys()],
    groupVersions: hashes.size,
    documentBytes,
  };
}

/**
 * Rewrites the documents of `changed`'s group (the other CRDs of the group as in `crds`) and the index, as a
 * cluster serves them after that one CRD was edited: every other document and its hash stay as they were.
 */
export async function rewriteGroupOf(snapshot: ScaleSnapshot, crds: readonly Crd[], changed: Crd, builtins: Builtins): Promise<void> {
  const members = crds.map((crd) => (crd.metadata.name === changed.metadata.name ? changed : crd)).filter((crd) => crd.spec.group === changed.spec.group);
  for (const [version, served] of crdGroups(members).get(changed.spec.group)!) {
    const key = `${changed.spec.group}/${version}`;
    const body = JSON.stringify(crdGroupVersionDocument(changed.spec.group, version, served, builtins.parts));
    await writeFileIn(snapshotFile(snapshot.dir, documentUrlPath(key), false), body);
    snapshot.hashes.set(key, documentHash(body));
  }
  await writeIndex(snapshot.dir, snapshot.hashes);
}

const documentHash = (body: Buffer | string) => createHash("sha256").update(body).digest("hex").slice(0, 32).toUpperCase();

/** `/openapi/v3`: each document by the URL with its hash, as 1.24+ servers list them. */
async function writeIndex(dir: string, hashes: ReadonlyMap<string, string>): Promise<void> {
  const paths = Object.fromEntries([...hashes].map(([key, hash]) => [documentUrlPath(key).slice("/openapi/v3/".length), { serverRelativeURL: `${documentUrlPath(key)}?hash=${hash}` }]));
  await writeFileIn(snapshotFile(dir, "/openapi/v3", false), JSON.stringify({ paths }));
}

/** CRDs by group, then by served version in the server's preference order. */
function crdGroups(crds: readonly Crd[]): Map<string, Map<string, Crd[]>> {
  const groups = new Map<string, Map<string, Crd[]>>();
  for (const crd of crds) {
    const versions = groups.get(crd.spec.group) ?? new Map<string, Crd[]>();
    groups.set(crd.spec.group, versions);
    for (const version of crd.spec.versions) if (version.served) versions.set(version.name, [...(versions.get(version.name) ?? []), crd]);
  }
  for (const [group, versions] of groups) groups.set(group, new Map([...versions].sort(([a], [b]) => compareVersionPriority(a, b))));
  return groups;
}

/** `/api` and `/apis` as `APIGroupDiscoveryList`s (apidiscovery.k8s.io/v2), as 1.30+ servers answer. */
async function writeDiscovery(dir: string, builtin: DiscoveredGroupVersion[], groups: Map<string, Map<string, Crd[]>>): Promise<void> {
  const byGroup = new Map<string, DiscoveredGroupVersion[]>();
  for (const gv of builtin) byGroup.set(gv.group, [...(byGroup.get(gv.group) ?? []), gv].sort((a, b) => Number(b.preferred) - Number(a.preferred)));
  const item = (name: string, versions: unknown[]) => ({ metadata: { ...(name !== "" && { name }), creationTimestamp: null }, versions });
  const builtinItem = (name: string) => item(name, byGroup.get(name)!.map((gv) => ({ version: gv.version, resources: gv.resources.map((r) => aggregatedResource(r, gv)), freshness: "Current" })));
  const crdItem = (name: string, versions: Map<string, Crd[]>) =>
    item(name, [...versions].map(([version, members]) => ({ version, resources: members.map((crd) => crdResource(crd, version)), freshness: "Current" })));
  const list = (items: unknown[]) => JSON.stringify({ kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items });
  await writeFileIn(snapshotFile(dir, "/api", true), list([builtinItem("")]));
  const named = [...byGroup.keys()].filter((name) => name !== "");
  await writeFileIn(snapshotFile(dir, "/apis", true), list([...named.map(builtinItem), ...[...groups].map(([name, versions]) => crdItem(name, versions))]));
}

function aggregatedResource(resource: DiscoveredResource, gv: DiscoveredGroupVersion) {
  return {
    resource: resource.plural,
    responseKind: { group: "", version: "", kind: resource.kind },
    scope: resource.namespaced ? "Namespaced" : "Cluster",
    singularResource: resource.singular,
    verbs: resource.verbs,
    subresources: resource.subresources.map((sub) => ({ subresource: sub.name, responseKind: { group: sub.group ?? "", version: sub.version ?? "", kind: sub.kind }, verbs: sub.verbs })),
  };
}

/** A CRD version as the apiextensions server lists it in aggregated discovery. */
function crdResource(crd: Crd, version: string) {
  const { group, names, scope } = crd.spec;
  const served = crd.spec.versions.find((entry) => entry.name === version)!;
  const subresource = (name: string, kind: { group: string; version: string; kind: string }) => ({ subresource: name, responseKind: kind, verbs: ["get", "patch", "update"] });
  const subresources = [
    ...(served.subresources?.scale ? [subresource("scale", { group: "autoscaling", version: "v1", kind: "Scale" })] : []),
    ...(served.subresources?.status ? [subresource("status", { group, version, kind: names.kind })] : []),
  ];
  return {
    resource: names.plural,
    responseKind: { group, version, kind: names.kind },
    scope,
    singularResource: names.singular,
    verbs: ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"],
    ...(names.categories && { categories: names.categories }),
    ...(subresources.length > 0 && { subresources }),
  };
}

/** `core/v1` → `/openapi/v3/api/v1`; `batch/v1` → `/openapi/v3/apis/batch/v1`. */
function documentUrlPath(key: string): string {
  const slash = key.lastIndexOf("/");
  const group = key.slice(0, slash);
  return group === "core" ? `/openapi/v3/api/${key.slice(slash + 1)}` : `/openapi/v3/apis/${key}`;
}

async function writeFileIn(file: string, body: Buffer | string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, body);
}
