import type { OpenAPIV3 } from "openapi-types";
import { operationGroupVersion, reversedGroup, type CustomResourceDefinition } from "./crd.js";

/**
 * The `/openapi/v3/apis/<group>/<version>` document the API server publishes for the CRDs of one
 * group/version. CRD endpoints are installed by the same endpoint code as built-in resources, so their
 * paths are built from a built-in resource of the same Kubernetes version (batch/v1 jobs for namespaced
 * kinds, storage.k8s.io/v1 volumeattachments for cluster-scoped ones, apps/v1 deployments/scale for
 * `scale`), renamed to the CRD — parameters, descriptions and operation IDs in that version's wording —
 * with the media types CRDs do not serve (protobuf, CBOR, strategic merge patch) removed and no `/watch/`
 * paths, as in the real 1.20.2 recording. Schemas are named `io.cert-manager.v1.Certificate` (reversed
 * group), carry `x-kubernetes-group-version-kind`, and reference the standard meta types.
 */
export function buildCrdOpenApiDocument(
  group: string,
  version: string,
  crds: readonly CustomResourceDefinition[],
  builtins: ReadonlyMap<string, OpenAPIV3.Document>,
): OpenAPIV3.Document {
  const batch = requireDocument(builtins, "batch/v1");
  const templates = {
    Namespaced: { document: batch, base: "/apis/batch/v1", plural: "jobs", kind: "Job", prefix: "BatchV1", tag: "batch_v1" },
    Cluster: { document: requireDocument(builtins, "storage.k8s.io/v1"), base: "/apis/storage.k8s.io/v1", plural: "volumeattachments", kind: "VolumeAttachment", prefix: "StorageV1", tag: "storage_v1" },
  } as const;
  const scaleTemplate = { document: requireDocument(builtins, "apps/v1"), base: "/apis/apps/v1", plural: "deployments", kind: "Deployment", prefix: "AppsV1", tag: "apps_v1" };
  const prefix = operationGroupVersion(group, version);
  const tag = `${prefix[0]!.toLowerCase()}${prefix.slice(1, prefix.length - version.length)}_${version}`;
  const base = `/apis/${group}/${version}`;

  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const crd of crds) {
    const served = crd.versions.find((entry) => entry.name === version)!;
    const kindName = `${reversedGroup(group)}.${version}.${crd.names.kind}`;
    const listName = `${reversedGroup(group)}.${version}.${crd.names.listKind}`;
    const template = templates[crd.scope];
    const templateSchemas = template.document.components?.schemas ?? {};
    const templateKindRef = schemaRefName(template.document, `${template.base}/${crd.scope === "Namespaced" ? "namespaces/{namespace}/" : ""}${template.plural}/{name}`);
    const rename = renamer({
      from: { prefix: template.prefix, kind: template.kind, tag: template.tag, group: groupOf(template.base), version: "v1" },
      to: { prefix, kind: crd.names.kind, tag, group, version },
      refs: { [templateKindRef]: kindName, [`${templateKindRef}List`]: listName },
    });
    const scope = crd.scope === "Namespaced" ? "namespaces/{namespace}/" : "";
    const wanted: Array<[string, string]> = [
      ...(crd.scope === "Namespaced" ? [[`${template.base}/${template.plural}`, `${base}/${crd.names.plural}`] as [string, string]] : []),
      [`${template.base}/${scope}${template.plural}`, `${base}/${scope}${crd.names.plural}`],
      [`${template.base}/${scope}${template.plural}/{name}`, `${base}/${scope}${crd.names.plural}/{name}`],
      ...(served.status ? [[`${template.base}/${scope}${template.plural}/{name}/status`, `${base}/${scope}${crd.names.plural}/{name}/status`] as [string, string]] : []),
    ];
    for (const [from, to] of wanted) paths[to] = rename(requirePath(template.document, from));
    if (served.scale) {
      const scaleRename = renamer({
        from: { prefix: scaleTemplate.prefix, kind: scaleTemplate.kind, tag: scaleTemplate.tag, group: "apps", version: "v1" },
        to: { prefix, kind: crd.names.kind, tag, group, version },
        refs: {},
      });
      const scalePath = requirePath(scaleTemplate.document, `${scaleTemplate.base}/namespaces/{namespace}/${scaleTemplate.plural}/{name}/scale`);
      const scoped = crd.scope === "Namespaced" ? scalePath : withoutNamespace(scalePath);
      paths[`${base}/${scope}${crd.names.plural}/{name}/scale`] = scaleRename(scoped);
    }
    schemas[kindName] = kindSchema(crd, served.schema, group, version, templateSchemas[templateKindRef] as Record<string, unknown>);
    schemas[listName] = listSchema(crd, kindName, group, version, templateSchemas[templateKindRef] as Record<string, unknown>);
  }

  const pool = new Map<string, unknown>();
  for (const document of builtins.values()) {
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) if (!pool.has(name)) pool.set(name, schema);
  }
  const pending = collectRefs([paths, schemas]);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (schemas[name] !== undefined) continue;
    const schema = pool.get(name);
    if (schema === undefined) throw new Error(`CRD document ${base}: no built-in document of this version defines #/components/schemas/${name}`);
    schemas[name] = schema;
    pending.push(...collectRefs(schema));
  }
  return {
    components: {
      schemas: sortedObject(schemas) as Record<string, OpenAPIV3.SchemaObject>,
      ...(batch.components?.securitySchemes ? { securitySchemes: batch.components.securitySchemes } : {}),
    },
    info: batch.info,
    openapi: batch.openapi,
    paths: sortedObject(paths) as OpenAPIV3.PathsObject,
  };
}

interface RenameSide {
  prefix: string;
  kind: string;
  tag: string;
  group: string;
  version: string;
}

/** A deep copy of a template path item with the built-in resource's names swapped for the CRD's. */
function renamer(options: { from: RenameSide; to: RenameSide; refs: Record<string, string> }): (node: unknown) => unknown {
  const { from, to, refs } = options;
  const operationIdPattern = new RegExp(`${from.prefix}|${from.kind}`, "g");
  const kindWord = new RegExp(`\\b${from.kind}\\b`, "g");
  const rename = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) return key === "tags" ? [to.tag] : node.map((item) => rename(item));
    if (node === null || typeof node !== "object") {
      if (typeof node !== "string") return node;
      if (key === "operationId") return node.replace(operationIdPattern, (match) => (match === from.prefix ? to.prefix : to.kind));
      if (key === "description") return node.replace(kindWord, to.kind);
      if (key === "$ref") {
        const name = node.slice("#/components/schemas/".length);
        return refs[name] === undefined ? node : `#/components/schemas/${refs[name]}`;
      }
      return node;
    }
    const object = node as Record<string, unknown>;
    if (key === "x-kubernetes-group-version-kind" && object["kind"] === from.kind && object["group"] === from.group) {
      return { group: to.group, kind: to.kind, version: to.version };
    }
    const copy: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(object)) {
      if (key === "content" && /protobuf|cbor|strategic-merge/.test(name)) continue;
      copy[name] = rename(value, name);
    }
    return copy;
  };
  return (node) => rename(node);
}

/** The CRD's own schema with the standard `apiVersion`, `kind` and `metadata` the API server puts in. */
function kindSchema(
  crd: CustomResourceDefinition,
  schema: Record<string, unknown> | undefined,
  group: string,
  version: string,
  builtinKind: Record<string, unknown>,
): Record<string, unknown> {
  const own = structuredClone(schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true });
  const builtinProperties = builtinKind["properties"] as Record<string, Record<string, unknown>>;
  const properties = (own["properties"] ?? {}) as Record<string, unknown>;
  const metadataDescription = builtinProperties["metadata"]?.["description"];
  return {
    ...own,
    properties: sortedObject({
      ...properties,
      apiVersion: builtinProperties["apiVersion"],
      kind: builtinProperties["kind"],
      metadata: {
        allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }],
        ...(metadataDescription === undefined ? {} : { description: metadataDescription }),
      },
    }),
    type: "object",
    "x-kubernetes-group-version-kind": [{ group, kind: crd.names.kind, version }],
  };
}

function listSchema(crd: CustomResourceDefinition, kindName: string, group: string, version: string, builtinKind: Record<string, unknown>): Record<string, unknown> {
  const builtinProperties = builtinKind["properties"] as Record<string, unknown>;
  return {
    description: `${crd.names.listKind} is a list of ${crd.names.kind}`,
    properties: {
      apiVersion: builtinProperties["apiVersion"],
      items: {
        description: `List of ${crd.names.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        items: { $ref: `#/components/schemas/${kindName}` },
        type: "array",
      },
      kind: builtinProperties["kind"],
      metadata: {
        allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta" }],
        description: "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
      },
    },
    required: ["items"],
    type: "object",
    "x-kubernetes-group-version-kind": [{ group, kind: crd.names.listKind, version }],
  };
}

/** The cluster-scoped form of a namespaced path item: no `namespace` parameter. */
function withoutNamespace(pathItem: unknown): unknown {
  const item = structuredClone(pathItem) as Record<string, unknown>;
  const notNamespace = (parameters: unknown) =>
    Array.isArray(parameters) ? parameters.filter((parameter: { name?: string }) => parameter.name !== "namespace") : parameters;
  item["parameters"] = notNamespace(item["parameters"]);
  for (const value of Object.values(item)) {
    if (value !== null && typeof value === "object" && !Array.isArray(value) && "parameters" in value) {
      (value as Record<string, unknown>)["parameters"] = notNamespace((value as Record<string, unknown>)["parameters"]);
    }
  }
  const json = JSON.stringify(item).replace(/Namespaced(?=[A-Z])/g, "");
  return JSON.parse(json) as unknown;
}

/** The schema name a resource's `get` operation answers with (`io.k8s.api.batch.v1.Job`). */
function schemaRefName(document: OpenAPIV3.Document, path: string): string {
  const get = (requirePath(document, path) as { get?: { responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> } }).get;
  const ref = get?.responses?.["200"]?.content?.["application/json"]?.schema?.$ref;
  if (ref === undefined) throw new Error(`template path ${path} has no application/json answer to its get operation`);
  return ref.slice("#/components/schemas/".length);
}

function requireDocument(documents: ReadonlyMap<string, OpenAPIV3.Document>, key: string): OpenAPIV3.Document {
  const document = documents.get(key);
  if (document === undefined) throw new Error(`building CRD documents needs the built-in ${key} document of the same version`);
  return document;
}

function requirePath(document: OpenAPIV3.Document, path: string): unknown {
  const item = document.paths?.[path];
  if (item === undefined) throw new Error(`template path ${path} is missing from the built-in document`);
  return item;
}

function groupOf(base: string): string {
  return base.split("/")[2]!;
}

function collectRefs(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, into);
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")) into.push(value.slice("#/components/schemas/".length));
      else collectRefs(value, into);
    }
  }
  return into;
}

function sortedObject(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
