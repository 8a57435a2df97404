/**
 * Small OpenAPI v3 documents shaped like the API server's (paths with actions and group/version/kind, plus
 * `components.schemas`), written in code so hostile cases need no fixture files.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export type Json = unknown;

export interface ResourceSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** Schema key in `components.schemas` (default `com.example.<version>.<kind>`). */
  schemaKey?: string;
  namespaced?: boolean;
}

export const OBJECT_META_KEY = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

const metaSchemas = {
  [OBJECT_META_KEY]: {
    type: "object",
    properties: { name: { type: "string" }, namespace: { type: "string" }, labels: { type: "object", additionalProperties: { type: "string" } } },
  },
};

export const ref = (key: string) => ({ $ref: `#/components/schemas/${key.replace(/~/g, "~0").replace(/\//g, "~1")}` });

/** A kind's top-level schema: apiVersion, kind, metadata plus `extra` properties. */
export function kindSchema(resource: ResourceSpec, extra: Record<string, Json> = {}, top: Record<string, Json> = {}): Json {
  return {
    type: "object",
    "x-kubernetes-group-version-kind": [{ group: resource.group, version: resource.version, kind: resource.kind }],
    ...top,
    properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: ref(OBJECT_META_KEY), ...extra },
  };
}

export function schemaKeyOf(resource: ResourceSpec): string {
  return resource.schemaKey ?? `com.example.${resource.version}.${resource.kind}`;
}

/** Paths for one resource as a CRD's document lists them (no watch paths: list implies watch). */
export function resourcePaths(resource: ResourceSpec): Record<string, Json> {
  const base = resource.group === "" ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const scope = resource.namespaced === false ? base : `${base}/namespaces/{namespace}`;
  const gvk = { group: resource.group, version: resource.version, kind: resource.kind };
  const op = (action: string) => ({
    operationId: `${action}${resource.kind}`,
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk,
    responses: { 200: { description: "OK", content: { "application/json": { schema: ref(schemaKeyOf(resource)) } } } },
  });
  return {
    [`${scope}/${resource.plural}`]: { get: op("list"), post: op("post") },
    [`${scope}/${resource.plural}/{name}`]: { get: op("get"), put: op("put"), patch: op("patch"), delete: op("delete") },
  };
}

/** One group/version document with `resources` and the given schemas (ObjectMeta added). */
export function groupVersionDocument(resources: ResourceSpec[], schemas: Record<string, Json>): Json {
  const paths = Object.assign({}, ...resources.map(resourcePaths)) as Record<string, Json>;
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "unversioned" }, paths, components: { schemas: { ...metaSchemas, ...schemas } } };
}

/** The file of a group/version in an OpenAPI v3 folder (`api/v1.json`, `apis/<g>/<v>.json`). */
export function documentFile(group: string, version: string): string {
  return group === "" ? `api/${version}.json` : `apis/${group}/${version}.json`;
}

/** Writes documents (objects are JSON-serialized; strings are written as they are, for raw JSON). */
export async function writeDocuments(dir: string, documents: Record<string, Json | string>): Promise<void> {
  for (const [file, content] of Object.entries(documents)) {
    const target = path.join(dir, ...file.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, typeof content === "string" ? content : JSON.stringify(content));
  }
}
