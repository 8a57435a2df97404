// One verb on one resource as a finished request: the single place that reads a call's options and decides method, path, headers and body.
import { addressPath } from "./path.js";
import type { RequestBase } from "./base.js";
import { metadataOf, nameFromBody, withTypeMeta, type BodyType } from "./body.js";
import { buildQuery, checkOptionValue, type QueryParams } from "./query.js";
import { patchContentType, serializePatch, type PatchType } from "./patch.js";
import { RequestValidationError } from "./validation.js";
import type { HttpMethod } from "./method.js";

/** A request ready for a transport, sent as it is: absolute path with query, headers, serialized body. */
export interface BuiltRequest<Body extends string | Uint8Array = string | Uint8Array> {
  method: HttpMethod;
  /** Absolute path including the query string, e.g. `/api/v1/namespaces/default/configmaps?limit=5`. */
  path: string;
  headers: Record<string, string>;
  body?: Body;
  /**
   * A list read in pages (`limit`): its answer's items are decoded a batch at a time, so a walk over a big
   * collection (listAll, an informer's list) does not leave every finished page behind as one large string.
   */
  batchItems?: true;
}

/**
 * Reads may ask for the objects' metadata only (`PartialObjectMetadata`), as client-go's metadata client does:
 * the server then drops spec and status before answering, which keeps large collections small.
 */
export interface ReadView {
  metadataOnly?: boolean;
}

/** A verb's options as the run time sees them: the union of every method's options. */
export interface VerbOptions {
  namespace?: string | undefined;
  allNamespaces?: boolean | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  type?: PatchType | undefined;
  [option: string]: unknown;
}

/** Options of a single delete, sent as a `DeleteOptions` body (the only place `preconditions` fit). */
export interface DeleteOptions {
  propagationPolicy?: "Orphan" | "Background" | "Foreground" | undefined;
  gracePeriodSeconds?: number | undefined;
  dryRun?: "All" | undefined;
  /** Delete only if the object still has this uid / resourceVersion (else 409 Conflict). */
  preconditions?: { uid?: string | undefined; resourceVersion?: string | undefined } | undefined;
}

/** One call of a verb on a resource, with exactly the inputs that verb takes and the caller's options as given. */
export type ResourceCall =
  | ({ verb: "get"; name: string; subresource?: string | undefined; options?: VerbOptions | undefined } & ReadView)
  | ({ verb: "list"; options?: VerbOptions | undefined } & ReadView)
  | ({ verb: "watch"; options?: VerbOptions | undefined } & ReadView)
  /** With `subresource`, `name` is the parent object (`pods/<name>/eviction`, `serviceaccounts/<name>/token`). */
  | { verb: "create"; body: unknown; name?: string; subresource?: string | undefined; options?: VerbOptions | undefined }
  /** The object is named by `body.metadata.name`. */
  | { verb: "update"; body: unknown; subresource?: string | undefined; options?: VerbOptions | undefined }
  /** `options.type` picks the strategy; merge when unset. */
  | { verb: "patch"; name: string; patch: unknown; subresource?: string | undefined; options?: VerbOptions | undefined }
  /** Server-side apply of `body` (named by `body.metadata.name`); `options.fieldManager` is required. */
  | { verb: "apply"; body: unknown; options?: VerbOptions | undefined }
  | { verb: "delete"; name: string; options?: VerbOptions | undefined }
  | { verb: "deletecollection"; options?: VerbOptions | undefined };

const JSON_TYPE = "application/json";
// The server converts to meta.k8s.io/v1 PartialObjectMetadata(List); plain JSON stays acceptable for servers
// (aggregated APIs) that cannot, and the metadata client trims those answers itself.
const METADATA_ONLY_TYPE = `${JSON_TYPE};as=PartialObjectMetadata;g=meta.k8s.io;v=v1,${JSON_TYPE}`;
const METADATA_LIST_TYPE = `${JSON_TYPE};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,${JSON_TYPE}`;

/**
 * Turns one call of a verb on `base`'s resource into method, path, headers and body, with no IO, so every
 * request the client sends can be checked in a unit test. Every default (namespace, patch type, body type)
 * and every check of the call's options is made here.
 */
export function buildRequest(base: RequestBase, call: ResourceCall): BuiltRequest<string> {
  const options = call.options;
  switch (call.verb) {
    case "get":
      return read(requestPath(base, options, call.name, call.subresource) + buildQuery(queryFrom(options)), call.metadataOnly ? METADATA_ONLY_TYPE : JSON_TYPE);
    case "list": {
      const query = queryFrom(options);
      const built = read(requestPath(base, options) + buildQuery({ ...query, watch: undefined }), call.metadataOnly ? METADATA_LIST_TYPE : JSON_TYPE);
      return query.limit ? { ...built, batchItems: true } : built;
    }
    case "watch":
      // Each watch event carries one object, so a metadata-only watch asks for PartialObjectMetadata, not the list.
      return read(requestPath(base, options) + buildQuery({ ...queryFrom(options, WATCH_CLIENT_KEYS), watch: true }), call.metadataOnly ? METADATA_ONLY_TYPE : JSON_TYPE);
    case "create": {
      const type = call.subresource === undefined ? base.type : subresourceType(base, call.subresource);
      const path = requestPath(base, options, call.name, call.subresource, metadataOf(call.body, "create").namespace);
      return withBody("POST", path + buildQuery(queryFrom(options)), serializeBody(withTypeMeta(call.body, type)));
    }
    case "update": {
      const type = call.subresource === undefined ? base.type : updatedSubresourceType(base, call.subresource);
      const path = requestPath(base, options, nameFromBody(call.body, "update"), call.subresource, metadataOf(call.body, "update").namespace);
      return withBody("PUT", path + buildQuery(queryFrom(options)), serializeBody(withTypeMeta(call.body, type)));
    }
    case "patch": {
      const type = patchTypeOf(options);
      return withBody("PATCH", requestPath(base, options, call.name, call.subresource) + buildQuery(queryFrom(options)), serializePatch(type, call.patch), patchContentType(type));
    }
    case "apply":
      return apply(base, call.body, options);
    case "delete":
      return withBody("DELETE", requestPath(base, options, call.name) + buildQuery(queryFrom(options, DELETE_OPTION_KEYS)), deleteOptionsBody(options));
    case "deletecollection":
      return withBody("DELETE", requestPath(base, options) + buildQuery(queryFrom(options, DELETE_OPTION_KEYS)), deleteOptionsBody(options));
    default: {
      const unknown: never = call;
      throw new RequestValidationError("verb", `${JSON.stringify((unknown as { verb: unknown }).verb)} is not a Kubernetes verb`);
    }
  }
}

/** A resuming watch's requests, built and checked once at the call; a reconnect only sets where it starts. */
export interface WatchRequests {
  /** The collection's path without query, for messages. */
  readonly collectionPath: string;
  /** The watch from `resourceVersion`: the one built at the call, with the version put in its sorted place. */
  from(resourceVersion: string): BuiltRequest<string>;
  /** A one-item list of the same selection, whose `resourceVersion` a watch given none starts from. */
  readonly currentVersion: BuiltRequest<string>;
  /** The `resourceVersion` the caller asked the watch to start after, if any. */
  readonly start: string | undefined;
}

/**
 * The requests of a resuming watch of `base`'s collection with the watch's `options` (namespace, selectors,
 * `timeoutSeconds`): bookmarks are asked for unless `allowWatchBookmarks: false`, because they let a reconnect
 * start from a recent version instead of one that may have expired. The options are read once, here.
 */
export function buildWatchRequests(base: RequestBase, options: VerbOptions | undefined, view: ReadView = {}): WatchRequests {
  const given: VerbOptions = { ...options };
  const watch = buildRequest(base, { verb: "watch", options: { ...given, resourceVersion: undefined, allowWatchBookmarks: given.allowWatchBookmarks ?? true }, ...view });
  // limit=1 keeps the answer small; a list's resourceVersion is that of the whole collection.
  const { namespace, allNamespaces, labelSelector, fieldSelector } = given;
  const currentVersion = buildRequest(base, { verb: "list", options: { namespace, allNamespaces, labelSelector, fieldSelector, limit: 1 }, ...view });
  return {
    collectionPath: requestPath(base, given),
    from: (resourceVersion) => ({ ...watch, path: withQueryParameter(watch.path, "resourceVersion", resourceVersion) }),
    currentVersion,
    start: given.resourceVersion as string | undefined,
  };
}

/** `path` with `key=value` added where `buildQuery`'s sorted order puts it, so the path is the one a fresh build gives. */
function withQueryParameter(path: string, key: string, value: string): string {
  const start = path.indexOf("?");
  const parameters = start < 0 ? [] : path.slice(start + 1).split("&");
  const at = parameters.findIndex((parameter) => parameter.slice(0, parameter.indexOf("=")) > key);
  parameters.splice(at < 0 ? parameters.length : at, 0, new URLSearchParams({ [key]: value }).toString());
  return `${start < 0 ? path : path.slice(0, start)}?${parameters.join("&")}`;
}

/** A patch call's strategy: the one its options name, else merge. */
export function patchTypeOf(options: VerbOptions | undefined): PatchType {
  return options?.type ?? "merge";
}

const DEFAULT_PAGE_SIZE = 500;

/** A walk over a collection page by page (listAll, listPages), its options read once at the call. */
export interface PagedList {
  /** The continue token the caller gave, where the walk starts; undefined from the first page. */
  readonly first: string | undefined;
  /** The list options of the page at `token`: the caller's, with their page size or 500. */
  page(token: string | undefined): VerbOptions;
}

/** The pages of a list with `options`; the scope (namespace, allNamespaces) is checked here, at the call. */
export function pagedList(base: RequestBase, options: VerbOptions | undefined): PagedList {
  namespaceOf(base, options);
  const given: VerbOptions = { ...options };
  const limit = (given.limit as number | undefined) ?? DEFAULT_PAGE_SIZE;
  return { first: given.continue as string | undefined, page: (token) => ({ ...given, limit, continue: token }) };
}

/**
 * The namespace a call goes to: the options', then the body's, then the client's default; none when the
 * resource is cluster-scoped or the call spans all namespaces. A namespace given where none fits is refused.
 */
export function namespaceOf(base: RequestBase, options: VerbOptions | undefined, bodyNamespace?: string): string | undefined {
  if (!base.namespaced) {
    if (options?.namespace !== undefined) throw new RequestValidationError("namespace", `${base.label} is cluster-scoped; remove the namespace option`);
    if (options?.allNamespaces) throw new RequestValidationError("allNamespaces", `${base.label} is cluster-scoped; remove allNamespaces`);
    return undefined;
  }
  if (options?.allNamespaces) {
    if (options.namespace !== undefined) throw new RequestValidationError("namespace", "give either namespace or allNamespaces, not both");
    return undefined;
  }
  return options?.namespace ?? bodyNamespace ?? base.defaultNamespace;
}

/**
 * The path a call addresses: the collection, an object, or an object's subresource, in the namespace the
 * options (then the body, then the client) pick. Streaming subresources (log, exec) and watches reach it too.
 */
export function requestPath(base: RequestBase, options: VerbOptions | undefined, name?: string, subresource?: string, bodyNamespace?: string): string {
  return addressPath(base.address, namespaceOf(base, options, bodyNamespace), name, subresource);
}

// Options every method reads itself; they never become query parameters (`old`: the object a patch is checked against before sending).
const CLIENT_KEYS: ReadonlySet<string> = new Set(["namespace", "allNamespaces", "signal", "timeoutMs", "type", "old"]);
/** Options of `delete`/`deletecollection` that travel in the DeleteOptions body. */
const DELETE_OPTION_KEYS = ["propagationPolicy", "gracePeriodSeconds", "dryRun", "preconditions"] as const;
/** Options of `watch` that steer the client, not the server. */
const WATCH_CLIENT_KEYS = ["resume", "maxEventBytes"] as const;

/** Query options are the caller's options minus the ones the client itself interprets. */
function queryFrom(options: VerbOptions | undefined, omit: readonly string[] = []): QueryParams {
  const query: Record<string, unknown> = {};
  if (options === undefined) return query as QueryParams;
  for (const key of Object.keys(options)) {
    if (CLIENT_KEYS.has(key) || omit.includes(key)) continue;
    query[key] = options[key];
  }
  return query as QueryParams;
}

function apply(base: RequestBase, body: unknown, options: VerbOptions | undefined): BuiltRequest<string> {
  if (!options?.fieldManager) throw new RequestValidationError("fieldManager", "apply needs options.fieldManager naming who owns the applied fields");
  const path = requestPath(base, options, nameFromBody(body, "apply"), undefined, metadataOf(body, "apply").namespace);
  return withBody("PATCH", path + buildQuery(queryFrom(options)), serializePatch("apply", withTypeMeta(body, base.type)), patchContentType("apply"));
}

function subresourceType(base: RequestBase, subresource: string): BodyType {
  return base.subresourceTypes.get(subresource) ?? { apiVersion: base.type.apiVersion, kind: undefined };
}

/** An updated subresource without a kind of its own (status) carries the resource's; a created one (eviction) never does. */
function updatedSubresourceType(base: RequestBase, subresource: string): BodyType {
  const own = subresourceType(base, subresource);
  return { apiVersion: own.apiVersion, kind: own.kind ?? base.type.kind };
}

function serializeBody(body: unknown): string {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new RequestValidationError("body", "expected a Kubernetes object (a JSON object)");
  }
  return JSON.stringify(body);
}

/** The DeleteOptions body of a delete's options; none when they set none of its fields. */
function deleteOptionsBody(options: VerbOptions | undefined): string | undefined {
  const { propagationPolicy, gracePeriodSeconds, dryRun, preconditions } = (options ?? {}) as DeleteOptions;
  if (gracePeriodSeconds !== undefined) checkOptionValue("gracePeriodSeconds", "gracePeriodSeconds", gracePeriodSeconds);
  if (dryRun !== undefined) checkOptionValue("dryRun", "dryRun", dryRun);
  const body = {
    kind: "DeleteOptions",
    apiVersion: "v1",
    ...(propagationPolicy !== undefined && { propagationPolicy }),
    ...(gracePeriodSeconds !== undefined && { gracePeriodSeconds }),
    ...(dryRun !== undefined && { dryRun: [dryRun] }),
    ...(preconditions !== undefined && { preconditions }),
  };
  return Object.keys(body).length > 2 ? JSON.stringify(body) : undefined;
}

function read(path: string, accept: string): BuiltRequest<string> {
  return { method: "GET", path, headers: { accept } };
}

function withBody(method: HttpMethod, path: string, body: string | undefined, contentType = JSON_TYPE): BuiltRequest<string> {
  if (body === undefined) return { method, path, headers: { accept: JSON_TYPE } };
  return { method, path, headers: { accept: JSON_TYPE, "content-type": contentType }, body };
}
