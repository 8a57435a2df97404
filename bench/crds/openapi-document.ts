// The `/openapi/v3/apis/<group>/<version>` document a 1.35 API server publishes for the CRDs of one
// group/version: their schemas (apiVersion, kind and metadata as the server puts them in, plus the list kind),
// every collection, object and subresource path with its operations, and the meta schemas they reference.
// Parameters, security and the meta schemas are taken from a real built-in document, so their wording and
// size are the server's.
import type { OpenAPIV3 } from "openapi-types";
import type { Crd, CrdVersion } from "./scale-crds.js";
import type { Schema } from "./vary-schema.js";

type Operation = Record<string, unknown>;
const REF = "#/components/schemas/";
const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const LIST_QUERY = ["allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch"];
const WRITE_QUERY = ["dryRun", "fieldManager", "fieldValidation"];
const DELETE_QUERY = ["dryRun", "gracePeriodSeconds", "ignoreStoreReadErrorWithClusterBreakingPotential", "orphanDependents", "propagationPolicy"];
const COLLECTION_DELETE_QUERY = [...new Set([...DELETE_QUERY, ...LIST_QUERY.filter((name) => name !== "allowWatchBookmarks" && name !== "watch")])].sort();
const PATCH_TYPES = ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"];

/** What every CRD document borrows from the server's built-in ones. */
export interface BuiltinParts {
  /** Query and path parameters by name (`limit`, `namespace`, ...), as the server describes them. */
  parameters: Map<string, unknown>;
  /** Every built-in schema by name, to copy the referenced meta types from. */
  schemas: Map<string, unknown>;
  info: OpenAPIV3.InfoObject;
  securitySchemes: Record<string, unknown>;
}

/** Parameters and schemas of the built-in documents (batch/v1 has every parameter a CRD's paths use). */
export function builtinParts(documents: ReadonlyMap<string, OpenAPIV3.Document>): BuiltinParts {
  const parameters = new Map<string, unknown>();
  const schemas = new Map<string, unknown>();
  for (const document of documents.values()) {
    for (const item of Object.values(document.paths ?? {})) {
      for (const [key, value] of Object.entries(item ?? {})) {
        const list = key === "parameters" ? value : (value as { parameters?: unknown })?.parameters;
        if (Array.isArray(list)) for (const parameter of list as Array<{ name: string }>) if (!parameters.has(parameter.name)) parameters.set(parameter.name, parameter);
      }
    }
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) if (!schemas.has(name)) schemas.set(name, schema);
  }
  const batch = documents.get("batch/v1");
  if (!batch) throw new Error("the built-in batch/v1 document is needed to describe CRD paths");
  return { parameters, schemas, info: batch.info, securitySchemes: (batch.components?.securitySchemes ?? {}) as Record<string, unknown> };
}

/** `compute0.scale.kubetyped.dev` → `dev.kubetyped.scale.compute0`: the prefix of a CRD's schema names. */
const reversed = (group: string) => group.split(".").reverse().join(".");

/** `compute0.scale.kubetyped.dev`, `v1` → `Compute0ScaleKubetypedDevV1`, the operation ID's group/version part. */
const operationPrefix = (group: string, version: string) =>
  [...group.split(/[.-]/), version].filter(Boolean).map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");

export function crdGroupVersionDocument(group: string, version: string, crds: readonly Crd[], builtins: BuiltinParts): OpenAPIV3.Document {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const crd of crds) {
    const served = crd.spec.versions.find((entry) => entry.name === version);
    if (!served) continue;
    const kindName = `${reversed(group)}.${version}.${crd.spec.names.kind}`;
    schemas[kindName] = kindSchema(served.schema.openAPIV3Schema, builtins, { group, version, kind: crd.spec.names.kind });
    schemas[`${kindName}List`] = listSchema(crd, kindName, { group, version, kind: crd.spec.names.listKind });
    Object.assign(paths, crdPaths(crd, served, kindName, version, builtins));
  }
  for (const name of referencedSchemas([paths, schemas], builtins.schemas)) schemas[name] ??= builtins.schemas.get(name);
  return {
    openapi: "3.0.0",
    info: builtins.info,
    paths: sorted(paths) as OpenAPIV3.PathsObject,
    components: { schemas: sorted(schemas) as Record<string, OpenAPIV3.SchemaObject>, securitySchemes: builtins.securitySchemes as Record<string, OpenAPIV3.SecuritySchemeObject> },
  };
}

function kindSchema(schema: Schema, builtins: BuiltinParts, gvk: { group: string; version: string; kind: string }): Schema {
  const typeMeta = builtins.schemas.get(`${META}.APIResourceList`) as { properties: Record<string, unknown> };
  return {
    ...schema,
    properties: sorted({
      ...(schema.properties ?? {}),
      apiVersion: typeMeta.properties.apiVersion,
      kind: typeMeta.properties.kind,
      metadata: { allOf: [{ $ref: `${REF}${META}.ObjectMeta` }], description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" },
    }) as Record<string, Schema>,
    type: "object",
    "x-kubernetes-group-version-kind": [gvk],
  };
}

function listSchema(crd: Crd, kindName: string, gvk: { group: string; version: string; kind: string }): Schema {
  return {
    description: `${crd.spec.names.listKind} is a list of ${crd.spec.names.kind}`,
    properties: {
      apiVersion: { type: "string" },
      items: { description: `List of ${crd.spec.names.plural}.`, items: { $ref: `${REF}${kindName}` }, type: "array" },
      kind: { type: "string" },
      metadata: { allOf: [{ $ref: `${REF}${META}.ListMeta` }], description: "Standard list metadata." },
    },
    required: ["items"],
    type: "object",
    "x-kubernetes-group-version-kind": [gvk],
  };
}

/** Collection, object, status and scale paths of one CRD version, with the operations the server serves. */
function crdPaths(crd: Crd, served: CrdVersion, kindName: string, version: string, builtins: BuiltinParts): Record<string, unknown> {
  const { group, names, scope } = crd.spec;
  const namespaced = scope === "Namespaced";
  const base = `/apis/${group}/${version}/${namespaced ? "namespaces/{namespace}/" : ""}${names.plural}`;
  const prefix = operationPrefix(group, version);
  const scoped = `${namespaced ? "Namespaced" : ""}${names.kind}`;
  const gvk = { group, version, kind: names.kind };
  const op = (action: string, id: string, query: string[], answer: string, extra: Operation = {}, suffix = ""): Operation => ({
    description: `${action} ${suffix === "" ? "" : `${suffix.toLowerCase()} of `}${names.kind}`,
    operationId: `${id}${prefix}${scoped}${suffix}`,
    parameters: query.map((name) => parameter(builtins, name)),
    responses: { "200": answer === "" ? { description: "OK" } : jsonAnswer(answer), "401": { description: "Unauthorized" } },
    tags: [prefix],
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk,
    ...extra,
  });
  const body = (ref: string) => ({ requestBody: { content: { "*/*": { schema: { $ref: `${REF}${ref}` } } }, required: true } });
  const patchBody = { requestBody: { content: Object.fromEntries(PATCH_TYPES.map((type) => [type, { schema: { $ref: `${REF}${META}.Patch` } }])), required: true } };
  const item = (ref: string, suffix: "" | "Status" | "Scale") => ({
    get: op("get", "read", [], ref, {}, suffix),
    put: op("put", "replace", WRITE_QUERY, ref, body(ref), suffix),
    patch: op("patch", "patch", [...WRITE_QUERY, "force"], ref, patchBody, suffix),
    ...(suffix === "" && { delete: op("delete", "delete", DELETE_QUERY, `${META}.Status`, body(`${META}.DeleteOptions`)) }),
    parameters: [parameter(builtins, "name"), ...(namespaced ? [parameter(builtins, "namespace")] : []), parameter(builtins, "pretty")],
  });
  const collectionParameters = [...(namespaced ? [parameter(builtins, "namespace")] : []), parameter(builtins, "pretty")];
  const paths: Record<string, unknown> = {
    [base]: {
      get: op("list", "list", LIST_QUERY, `${kindName}List`),
      post: op("post", "create", WRITE_QUERY, kindName, body(kindName)),
      delete: op("deletecollection", "deleteCollection", COLLECTION_DELETE_QUERY, `${META}.Status`, body(`${META}.DeleteOptions`)),
      parameters: collectionParameters,
    },
    [`${base}/{name}`]: item(kindName, ""),
  };
  if (namespaced) paths[`/apis/${group}/${version}/${names.plural}`] = { get: op("list", "list", LIST_QUERY, `${kindName}List`, { operationId: `list${prefix}${names.kind}ForAllNamespaces` }), parameters: [parameter(builtins, "pretty")] };
  if (served.subresources?.status) paths[`${base}/{name}/status`] = item(kindName, "Status");
  if (served.subresources?.scale) paths[`${base}/{name}/scale`] = item("io.k8s.api.autoscaling.v1.Scale", "Scale");
  return paths;
}

function parameter(builtins: BuiltinParts, name: string): unknown {
  const found = builtins.parameters.get(name);
  if (found === undefined) throw new Error(`no built-in document describes the parameter ${name}`);
  return found;
}

function jsonAnswer(ref: string) {
  const schema = { schema: { $ref: `${REF}${ref}` } };
  return { content: { "application/json": schema, "application/yaml": schema }, description: "OK" };
}

/** Every schema `roots` reference, directly or through the schemas they reference, that `pool` holds. */
function referencedSchemas(roots: unknown, pool: ReadonlyMap<string, unknown>): Set<string> {
  const found = new Set<string>();
  const pending: unknown[] = [roots];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key !== "$ref" || typeof value !== "string") {
          pending.push(value);
          continue;
        }
        const name = value.slice(REF.length);
        if (found.has(name) || !pool.has(name)) continue;
        found.add(name);
        pending.push(pool.get(name));
      }
    }
  }
  return found;
}

function sorted(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
