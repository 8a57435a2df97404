// get, list and watch: the verbs that read a resource.
import type { ResourceList } from "../api/objects.js";
import { buildRequest, type BuiltRequest, type ReadView } from "../request/build.js";
import { checkOptionalByteCount } from "../request/validation.js";
import type { RestClient } from "../rest/types.js";
import { resourceWatchConnector } from "../watch/connector.js";
import { decodeWatchEvents, type WatchEvent } from "../watch/decode.js";
import { resumingWatch } from "../watch/resume.js";
import { marksStreamingLists } from "../watch/watcher.js";
import { queryFrom, WATCH_CLIENT_KEYS } from "./call-options.js";
import type { AnyOptions, ResourceContext } from "./context.js";

// `view` (metadata only) is the metadata client's; the resource client reads whole objects.

/** `get` of the object, or with `subresource` of that subresource (`status`, `scale`). */
export function getVerb(context: ResourceContext, subresource?: string, view: ReadView = {}) {
  return async (name: string, options?: AnyOptions) =>
    context.send(buildRequest(context.target(context.namespaceFor(options), subresource), { verb: "get", name, query: queryFrom(options), ...view }), options);
}

/** One page of the collection. */
export function listVerb(context: ResourceContext, view: ReadView = {}) {
  return async (options?: AnyOptions) =>
    context.send<ResourceList<unknown>>(buildRequest(context.target(context.namespaceFor(options)), { verb: "list", query: queryFrom(options), ...view }), options);
}

/** A resuming watch by default; `{ resume: false }` is one plain watch request. Bad arguments throw at the call. */
export function watchVerb(context: ResourceContext, view: ReadView = {}) {
  return marksStreamingLists((options?: AnyOptions) => {
    const collection = context.target(context.namespaceFor(options));
    const query = queryFrom(options, WATCH_CLIENT_KEYS);
    const maxEventBytes = options?.maxEventBytes as number | undefined;
    checkOptionalByteCount("maxEventBytes", maxEventBytes);
    if (options?.resume === false) return watchEvents(context.rest, buildRequest(collection, { verb: "watch", query, ...view }), options.signal, maxEventBytes);
    const connector = resourceWatchConnector(context.rest, collection, query, view);
    const resourceVersion = query.resourceVersion;
    return resumingWatch(connector, {
      ...(resourceVersion !== undefined && { resourceVersion }),
      ...(options?.signal && { signal: options.signal }),
      ...(maxEventBytes !== undefined && { maxEventBytes }),
    });
  });
}

/** Streams one watch request, ending quietly when the caller aborts (that is how a watch is meant to stop). */
function watchEvents<T>(rest: RestClient, built: BuiltRequest, signal: AbortSignal | undefined, maxEventBytes: number | undefined): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const options = { ...(signal && { stopped: signal }), ...(maxEventBytes !== undefined && { maxEventBytes }) };
  return decodeWatchEvents<T>(requestedBody(rest, built, signal), `${built.method} ${rest.server}${built.path}`, options);
}

/** The body of `built`, requested when it is first read (as a watch that is never iterated sends nothing). */
async function* requestedBody(rest: RestClient, built: BuiltRequest, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array, void, undefined> {
  yield* await rest.stream(built, signal && { signal });
}
