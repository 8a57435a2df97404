import type { ResourceDescriptor, SubresourceDescriptor, Verb } from "./descriptor.js";
import type { KubeClient } from "./kube-client.js";
import type { KubeObject, ObjectMetaLike, ResourceList } from "./types.js";
import type { ResourceClient, StreamingSubresource, SubresourceVerb } from "./resource-types.js";
import {
  buildRequest,
  RequestValidationError,
  validateName,
  validatePathSegment,
  type BuiltRequest,
  type PatchType,
  type QueryParams,
  type ResourceRequest,
  type ResourceTarget,
} from "../request/index.js";
import { buildGroupVersionPath } from "../request/path.js";
import { StatusError } from "../errors.js";
import { decodeWatchEvents, type WatchEvent } from "../watch/decode.js";
import { paginate, paginatePages } from "../watch/paginate.js";
import { resumingWatch } from "../watch/resume.js";
import { resourceWatchConnector } from "../watch/connector.js";
import { buildResourcePath } from "../request/path.js";
import { createStreamingMethods } from "../stream/streaming-client.js";
import { apiVersionOf, groupVersionKey } from "../request/group-version.js";

/** Options as the run time sees them: the union of every method's options. */
interface AnyOptions {
  namespace?: string;
  allNamespaces?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  type?: PatchType;
  [option: string]: unknown;
}

const ALL_VERBS: ReadonlySet<Verb> = new Set(["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]);
const SUBRESOURCE_VERBS: ReadonlySet<string> = new Set<SubresourceVerb>(["get", "create", "update", "patch"]);
const DEFAULT_PAGE_SIZE = 500;
// Kept in step with the `StreamingSubresource` type: these need upgrades or text, not JSON.
const STREAMING_SUBRESOURCES: ReadonlySet<string> = new Set<StreamingSubresource>(["exec", "attach", "portforward", "proxy", "log"]);
// Options every method reads itself; they never become query parameters.
const CLIENT_KEYS: ReadonlySet<string> = new Set(["namespace", "allNamespaces", "signal", "timeoutMs", "type"]);
const DELETE_OPTION_KEYS = ["propagationPolicy", "gracePeriodSeconds", "dryRun", "preconditions"] as const;
// Options of `watch` that steer the client, not the server.
const WATCH_CLIENT_KEYS = ["resume"] as const;

/** Query options are the caller's options minus the ones the client itself interprets. */
function queryFrom(options: AnyOptions | undefined, omit: readonly string[] = []): QueryParams {
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    if (CLIENT_KEYS.has(key) || omit.includes(key)) continue;
    query[key] = value;
  }
  return query as QueryParams;
}

function metadataOf(body: unknown, verb: string): ObjectMetaLike {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new RequestValidationError("body", `${verb} expects a Kubernetes object`);
  }
  const metadata = (body as KubeObject).metadata;
  return metadata && typeof metadata === "object" ? metadata : {};
}

function nameFromBody(body: unknown, verb: string): string {
  const name = metadataOf(body, verb).name;
  if (name === undefined) throw new RequestValidationError("body.metadata.name", `${verb} needs the object's name in body.metadata.name`);
  return validateName(name, "body.metadata.name");
}

/** Fills `apiVersion`/`kind` from the descriptor when the body leaves them out (the server needs them for apply). */
function withTypeMeta(body: unknown, apiVersion: string, kind: string | undefined): unknown {
  if (kind === undefined || body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const object = body as KubeObject;
  if (object.apiVersion !== undefined && object.kind !== undefined) return body;
  return { apiVersion, kind, ...object, ...(object.apiVersion === undefined && { apiVersion }), ...(object.kind === undefined && { kind }) };
}

/**
 * Methods that answer a promise reject it for bad arguments too (never throw synchronously); `watch` and
 * `listAll` throw at the call, since their iterables have no promise to reject.
 *
 * The run-time half of `ResourceClient<R>`: an object holding exactly the descriptor's verbs as methods.
 * Every method builds its request with the pure `buildRequest` and sends it through the `KubeClient`.
 */
export function createResourceClient<const R extends ResourceDescriptor>(kube: KubeClient, descriptor: R): ResourceClient<R> {
  buildGroupVersionPath(descriptor.group, descriptor.version);
  validatePathSegment("plural", descriptor.plural);
  const apiVersion = apiVersionOf(descriptor.group, descriptor.version);
  const label = `${descriptor.kind} (${descriptor.plural}.${groupVersionKey(descriptor.group, descriptor.version)})`;

  /** The namespace a call goes to: options, then the body, then the client's default; none when cluster-scoped. */
  const namespaceFor = (options: AnyOptions | undefined, bodyNamespace?: string): string | undefined => {
    if (!descriptor.namespaced) {
      if (options?.namespace !== undefined) {
        throw new RequestValidationError("namespace", `${label} is cluster-scoped; remove the namespace option`);
      }
      if (options?.allNamespaces) throw new RequestValidationError("allNamespaces", `${label} is cluster-scoped; remove allNamespaces`);
      return undefined;
    }
    if (options?.allNamespaces) {
      if (options.namespace !== undefined) throw new RequestValidationError("namespace", "give either namespace or allNamespaces, not both");
      return undefined;
    }
    return options?.namespace ?? bodyNamespace ?? kube.namespace;
  };
  const target = (namespace: string | undefined, subresource?: string): ResourceTarget => ({
    group: descriptor.group,
    version: descriptor.version,
    plural: descriptor.plural,
    ...(namespace !== undefined && { namespace }),
    ...(subresource !== undefined && { subresource }),
  });
  const send = <T>(built: BuiltRequest, options: AnyOptions | undefined): Promise<T> =>
    kube.requestJson<T>({
      ...built,
      ...(options?.signal && { signal: options.signal }),
      ...(options?.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    });
  const deleteOptionsFrom = (options: AnyOptions | undefined) => {
    const picked: Record<string, unknown> = {};
    for (const key of DELETE_OPTION_KEYS) if (options?.[key] !== undefined) picked[key] = options[key];
    return picked;
  };

  const makePatch = (subresource?: string) => async (name: string, patch: unknown, options?: AnyOptions) => {
    const patchType = options?.type ?? "merge";
    const request: ResourceRequest = { verb: "patch", name, patch, patchType, query: queryFrom(options) };
    return send(buildRequest(target(namespaceFor(options), subresource), request), options).catch((error: unknown) => {
      throw patchType === "strategic" ? explainStrategicRefusal(error, label) : error;
    });
  };
  const makeGet = (subresource?: string) => async (name: string, options?: AnyOptions) =>
    send(buildRequest(target(namespaceFor(options), subresource), { verb: "get", name, query: queryFrom(options) }), options);
  const makeUpdate = (subresource?: string, bodyType: { apiVersion: string; kind: string | undefined } = { apiVersion, kind: descriptor.kind }) => async (body: unknown, options?: AnyOptions) => {
    const name = nameFromBody(body, "update");
    const namespace = namespaceFor(options, metadataOf(body, "update").namespace);
    const request: ResourceRequest = { verb: "update", name, body: withTypeMeta(body, bodyType.apiVersion, bodyType.kind), query: queryFrom(options) };
    return send(buildRequest(target(namespace, subresource), request), options);
  };

  const list = async (options?: AnyOptions) =>
    send<ResourceList<unknown>>(buildRequest(target(namespaceFor(options)), { verb: "list", query: queryFrom(options) }), options);

  const verbs: Record<Verb, unknown> = {
    get: makeGet(),
    list,
    watch: (options?: AnyOptions) => {
      // Built now so a bad argument throws at the call, not at the first iteration.
      const collection = target(namespaceFor(options));
      const query = queryFrom(options, WATCH_CLIENT_KEYS);
      if (options?.resume === false) return watchEvents(kube, buildRequest(collection, { verb: "watch", query }), options.signal);
      const connector = resourceWatchConnector(kube, collection, query);
      const resourceVersion = query.resourceVersion;
      return resumingWatch(connector, { ...(resourceVersion !== undefined && { resourceVersion }), ...(options?.signal && { signal: options.signal }) });
    },
    create: async (body: unknown, options?: AnyOptions) => {
      const namespace = namespaceFor(options, metadataOf(body, "create").namespace);
      const request: ResourceRequest = { verb: "create", body: withTypeMeta(body, apiVersion, descriptor.kind), query: queryFrom(options) };
      return send(buildRequest(target(namespace), request), options);
    },
    update: makeUpdate(),
    patch: makePatch(),
    delete: async (name: string, options?: AnyOptions) => {
      const request: ResourceRequest = { verb: "delete", name, options: deleteOptionsFrom(options), query: queryFrom(options, DELETE_OPTION_KEYS) };
      return send(buildRequest(target(namespaceFor(options)), request), options);
    },
    deletecollection: async (options?: AnyOptions) => {
      const request: ResourceRequest = { verb: "deletecollection", options: deleteOptionsFrom(options), query: queryFrom(options, DELETE_OPTION_KEYS) };
      return send(buildRequest(target(namespaceFor(options)), request), options);
    },
  };

  const client: Record<string, unknown> = { descriptor };
  for (const verb of descriptor.verbs) {
    if (!ALL_VERBS.has(verb)) throw new RequestValidationError("descriptor.verbs", `${JSON.stringify(verb)} is not a Kubernetes verb (${label})`);
    client[verb] = verbs[verb];
  }
  if (descriptor.verbs.includes("patch")) {
    client.apply = async (body: unknown, options?: AnyOptions) => {
      if (!options?.fieldManager) throw new RequestValidationError("fieldManager", "apply needs options.fieldManager naming who owns the applied fields");
      const name = nameFromBody(body, "apply");
      const namespace = namespaceFor(options, metadataOf(body, "apply").namespace);
      const request: ResourceRequest = { verb: "patch", name, patch: withTypeMeta(body, apiVersion, descriptor.kind), patchType: "apply", query: queryFrom(options) };
      return send(buildRequest(target(namespace), request), options);
    };
  }
  if (descriptor.verbs.includes("list")) {
    client.listAll = (options?: AnyOptions) => {
      const limit = (options?.limit as number | undefined) ?? DEFAULT_PAGE_SIZE;
      const first = options?.continue as string | undefined;
      namespaceFor(options);
      return paginate((token) => list({ ...options, limit, continue: token }), first);
    };
    client.listPages = (options?: AnyOptions) => {
      const limit = (options?.limit as number | undefined) ?? DEFAULT_PAGE_SIZE;
      namespaceFor(options);
      return paginatePages((token) => list({ ...options, limit, continue: token }), options?.continue as string | undefined);
    };
  }
  for (const [name, subresource] of Object.entries(descriptor.subresources ?? {})) {
    if (STREAMING_SUBRESOURCES.has(name)) continue;
    if (name in client) throw new RequestValidationError("descriptor.subresources", `subresource "${name}" collides with a method of ${label}`);
    client[name] = createSubresourceClient(name, subresource);
  }
  // log, exec, attach, portforward: WebSocket and text streams, built in runtime/stream.
  const subresourcePath = (name: string, subresource: string, options: AnyOptions | undefined) =>
    buildResourcePath({ ...target(namespaceFor(options), subresource), name });
  Object.assign(client, createStreamingMethods(kube, descriptor, subresourcePath));
  return Object.freeze(client) as ResourceClient<R>;

  function createSubresourceClient(name: string, subresource: SubresourceDescriptor): Record<string, unknown> {
    const subApiVersion = apiVersionOf(subresource.group ?? descriptor.group, subresource.version ?? descriptor.version);
    const methods: Record<SubresourceVerb, unknown> = {
      get: makeGet(name),
      // A subresource body has its own kind (Scale), or the parent's (status).
      update: makeUpdate(name, { apiVersion: subApiVersion, kind: subresource.kind ?? descriptor.kind }),
      patch: makePatch(name),
      create: async (parent: string, body: unknown, options?: AnyOptions) => {
        const request: ResourceRequest = { verb: "create", name: parent, body: withTypeMeta(body, subApiVersion, subresource.kind), query: queryFrom(options) };
        return send(buildRequest(target(namespaceFor(options), name), request), options);
      },
    };
    const sub: Record<string, unknown> = {};
    for (const verb of subresource.verbs) if (SUBRESOURCE_VERBS.has(verb)) sub[verb] = methods[verb as SubresourceVerb];
    return Object.freeze(sub);
  }
}

/**
 * 415 to a strategic-merge patch means the resource has no Go struct tags to merge by: custom resources
 * (and aggregated APIs) never support it. Say so, instead of only listing the accepted media types.
 */
function explainStrategicRefusal(error: unknown, label: string): unknown {
  if (!(error instanceof StatusError) || error.code !== 415) return error;
  const message = `strategic merge patch is not supported for ${label}: custom resources do not support it; use type "merge" (or "json") or server-side apply. The server said: ${error.serverMessage}`;
  return new StatusError({ ...error.status, message }, { method: error.method, url: error.url });
}

/** Streams a watch, ending quietly when the caller aborts (that is how a watch is meant to stop). */
async function* watchEvents<T>(kube: KubeClient, built: BuiltRequest, signal: AbortSignal | undefined): AsyncGenerator<WatchEvent<T>, void, undefined> {
  try {
    const stream = await kube.requestStream({ ...built, ...(signal && { signal }) });
    yield* decodeWatchEvents<T>(stream, `${built.method} ${kube.server}${built.path}`);
  } catch (error) {
    if (signal?.aborted) return;
    throw error;
  }
}
