import type { OpenAPIV2, OpenAPIV3 } from "openapi-types";
import type { DiscoveredGroupVersion, DiscoveredResource, DiscoveredSubresource } from "./types.js";

/**
 * Discovery derived from OpenAPI paths, for sources that have documents but no discovery (an openapi-v3
 * folder, golden tests). Each operation's `x-kubernetes-action` gives a verb and its
 * `x-kubernetes-group-version-kind` the kind; `{namespace}` in a path makes a resource namespaced and
 * `/{name}/<sub>` names a subresource. What OpenAPI cannot tell — short names, categories — stays empty.
 */
export function deriveDiscoveryFromOpenApiV3(documents: Map<string, OpenAPIV3.Document>): DiscoveredGroupVersion[] {
  const builder = new DiscoveryBuilder();
  for (const key of [...documents.keys()].sort()) {
    const document = documents.get(key)!;
    builder.addPaths(document.paths ?? {}, schemaLookup(document.components?.schemas, "#/components/schemas/"));
  }
  return builder.build();
}

/** The same from the single `/openapi/v2` document (clusters before 1.23). */
export function deriveDiscoveryFromOpenApiV2(document: OpenAPIV2.Document): DiscoveredGroupVersion[] {
  const builder = new DiscoveryBuilder();
  builder.addPaths(document.paths ?? {}, schemaLookup(document.definitions, "#/definitions/"));
  return builder.build();
}

/**
 * Kubernetes version priority: GA before beta before alpha, higher major first, then higher minor;
 * versions outside the pattern last, by name. Negative when `a` is preferred over `b`.
 */
export function compareVersionPriority(a: string, b: string): number {
  const rank = (version: string): [number, number, number] | undefined => {
    const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
    if (!match) return undefined;
    const stability = match[2] === undefined ? 3 : match[2] === "beta" ? 2 : 1;
    return [stability, Number(match[1]), match[3] === undefined ? 0 : Number(match[3])];
  };
  const ra = rank(a);
  const rb = rank(b);
  if (ra && rb) return rb[0] - ra[0] || rb[1] - ra[1] || rb[2] - ra[2];
  if (ra) return -1;
  if (rb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const ACTION_VERBS: Record<string, string> = {
  get: "get",
  list: "list",
  watch: "watch",
  watchlist: "watch",
  post: "create",
  put: "update",
  patch: "patch",
  delete: "delete",
  deletecollection: "deletecollection",
};

/** `connect` operations (exec, proxy, portforward) get their verb from the HTTP method, as discovery does. */
const CONNECT_METHOD_VERBS: Record<string, string> = { get: "get", post: "create", put: "update", patch: "patch", delete: "delete" };

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;

interface ParsedPath {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  subresource?: string;
}

interface GvkLike {
  group?: string;
  version?: string;
  kind?: string;
}

interface Accumulated {
  verbs: Set<string>;
  namespaced: boolean;
  kind?: GvkLike;
}

class DiscoveryBuilder {
  /** `group/version` → plural → (subresource or "") → what the paths say. */
  private readonly found = new Map<
    string,
    { group: string; version: string; resources: Map<string, Map<string, Accumulated>>; hasWatchPaths: boolean }
  >();

  addPaths(paths: Record<string, unknown>, schemaOf: SchemaLookup): void {
    for (const path of Object.keys(paths).sort()) {
      const parsed = parseResourcePath(path);
      const item = paths[path];
      if (!parsed || typeof item !== "object" || item === null) continue;
      for (const method of HTTP_METHODS) {
        const operation = (item as Record<string, unknown>)[method] as Record<string, unknown> | undefined;
        if (!operation) continue;
        const action = operation["x-kubernetes-action"] ?? actionFromShape(method, path, parsed, operation);
        if (typeof action !== "string") continue;
        const verb = action === "connect" ? CONNECT_METHOD_VERBS[method] : ACTION_VERBS[action];
        const entry = this.entry(parsed);
        if (verb) entry.verbs.add(verb);
        if (action === "watch" || action === "watchlist") this.found.get(`${parsed.group}/${parsed.version}`)!.hasWatchPaths = true;
        if (parsed.namespaced) entry.namespaced = true;
        const gvk = (operation["x-kubernetes-group-version-kind"] as GvkLike | undefined) ?? kindFromResponse(action, operation, schemaOf);
        if (gvk?.kind && !entry.kind) entry.kind = gvk;
      }
    }
  }

  build(): DiscoveredGroupVersion[] {
    const groupVersions = [...this.found.values()].map(({ group, version, resources, hasWatchPaths }) => ({
      group,
      version,
      preferred: false,
      resources: [...resources.entries()]
        .filter(([, parts]) => parts.has(""))
        .map(([plural, parts]) => toResource(plural, parts, group, version, !hasWatchPaths))
        .sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0)),
    }));
    const byGroup = new Map<string, DiscoveredGroupVersion[]>();
    for (const gv of groupVersions) byGroup.set(gv.group, [...(byGroup.get(gv.group) ?? []), gv]);
    for (const versions of byGroup.values()) {
      versions.sort((a, b) => compareVersionPriority(a.version, b.version));
      versions[0]!.preferred = true;
    }
    return [...byGroup.keys()].sort().flatMap((group) => byGroup.get(group)!);
  }

  private entry(parsed: ParsedPath): Accumulated {
    const gvKey = `${parsed.group}/${parsed.version}`;
    const gv = this.found.get(gvKey) ?? { group: parsed.group, version: parsed.version, resources: new Map(), hasWatchPaths: false };
    this.found.set(gvKey, gv);
    const parts = gv.resources.get(parsed.plural) ?? new Map<string, Accumulated>();
    gv.resources.set(parsed.plural, parts);
    const key = parsed.subresource ?? "";
    const entry = parts.get(key) ?? { verbs: new Set<string>(), namespaced: false };
    parts.set(key, entry);
    return entry;
  }
}

/**
 * `listImpliesWatch`: CustomResourceDefinitions publish no `/watch/` paths (watching is `?watch=true` on the
 * list path), so in a group/version without any watch path every listable resource is taken as watchable.
 * Built-in groups publish watch paths for exactly their watchable resources (componentstatuses has none).
 */
type SchemaLookup = (ref: string) => Record<string, unknown> | undefined;

function schemaLookup(schemas: Record<string, unknown> | undefined, prefix: string): SchemaLookup {
  return (ref) => {
    if (!ref.startsWith(prefix) || !schemas) return undefined;
    const schema = schemas[ref.slice(prefix.length)];
    return typeof schema === "object" && schema !== null ? (schema as Record<string, unknown>) : undefined;
  };
}

/**
 * Documents without `x-kubernetes-action` (the 1.23 OpenAPI v3 documents): the action follows from the
 * method and the path's shape, as the API server builds its routes.
 */
function actionFromShape(method: string, path: string, parsed: ParsedPath, operation: Record<string, unknown>): string | undefined {
  const operationId = typeof operation["operationId"] === "string" ? operation["operationId"] : "";
  if (operationId.startsWith("connect")) return "connect";
  const onItem = /\/\{name\}(\/|$)/.test(path) || parsed.subresource !== undefined;
  const isWatch = /^\/apis?\/(?:[^/]+\/)?v[^/]*\/watch\//.test(path);
  switch (method) {
    case "get":
      return isWatch ? (onItem ? "watch" : "watchlist") : onItem ? "get" : "list";
    case "post":
      return "post";
    case "put":
      return "put";
    case "patch":
      return "patch";
    case "delete":
      return onItem ? "delete" : "deletecollection";
    default:
      return undefined;
  }
}

/** Without `x-kubernetes-group-version-kind` on the operation: the kind of the object it reads or writes. */
function kindFromResponse(action: string, operation: Record<string, unknown>, schemaOf: SchemaLookup): GvkLike | undefined {
  if (!["get", "post", "put", "patch"].includes(action)) return undefined;
  const responses = operation["responses"] as Record<string, Record<string, unknown>> | undefined;
  for (const code of ["200", "201"]) {
    const response = responses?.[code];
    const content = response?.["content"] as Record<string, { schema?: { $ref?: string } }> | undefined;
    const ref = content?.["application/json"]?.schema?.$ref ?? (response?.["schema"] as { $ref?: string } | undefined)?.$ref;
    const gvks = ref === undefined ? undefined : schemaOf(ref)?.["x-kubernetes-group-version-kind"];
    if (Array.isArray(gvks) && gvks.length === 1) return gvks[0] as GvkLike;
  }
  return undefined;
}

function toResource(
  plural: string,
  parts: Map<string, Accumulated>,
  group: string,
  version: string,
  listImpliesWatch: boolean,
): DiscoveredResource {
  const main = parts.get("")!;
  if (listImpliesWatch && main.verbs.has("list")) main.verbs.add("watch");
  const kind = main.kind?.kind ?? "";
  const subresources: DiscoveredSubresource[] = [...parts.entries()]
    .filter(([name]) => name !== "")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, sub]) => {
      const subGroup = sub.kind?.group ?? group;
      const subVersion = sub.kind?.version ?? version;
      return {
        name,
        kind: sub.kind?.kind ?? kind,
        ...(subGroup !== group || subVersion !== version ? { group: subGroup, version: subVersion } : {}),
        verbs: sortVerbs(sub.verbs),
      };
    });
  return {
    plural,
    singular: kind.toLowerCase(),
    kind,
    namespaced: main.namespaced,
    verbs: sortVerbs(main.verbs),
    shortNames: [],
    categories: [],
    subresources,
  };
}

function sortVerbs(verbs: Set<string>): string[] {
  return [...verbs].sort();
}

/**
 * `/apis/batch/v1/namespaces/{namespace}/jobs/{name}/status` → batch/v1 jobs, namespaced, subresource status.
 * The `watch/` prefix of the deprecated watch paths is dropped; `/proxy/{path}` tails are ignored.
 */
export function parseResourcePath(path: string): ParsedPath | undefined {
  const segments = path.split("/").filter((segment) => segment !== "");
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === "api" && segments.length >= 2) {
    group = "";
    version = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === "apis" && segments.length >= 3) {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  if (rest[0] === "watch") rest = rest.slice(1);
  let namespaced = false;
  if (rest[0] === "namespaces" && rest[1] === "{namespace}") {
    namespaced = true;
    rest = rest.slice(2);
  }
  const plural = rest[0];
  if (plural === undefined || plural.startsWith("{")) return undefined;
  if (rest.length >= 3 && rest[1]!.startsWith("{")) {
    return { group, version, plural, namespaced, subresource: rest[2]! };
  }
  if (rest.length > 2) return undefined;
  return { group, version, plural, namespaced };
}
