// get, list and watch: the verbs that read a resource.
import type { ResourceList } from "../api/objects.js";
import { buildRequest, buildWatchRequests, type BuiltRequest, type ReadView } from "../request/build.js";
import { checkOptionalByteCount } from "../request/validation.js";
import type { RestClient } from "../rest/types.js";
import { resourceWatchConnector } from "../watch/connector.js";
import { decodeWatchEvents, type WatchEvent } from "../watch/decode.js";
import { resumingWatch } from "../watch/resume.js";
import { marksStreamingLists } from "../watch/watcher.js";
import type { AnyOptions, ResourceContext } from "./context.js";

// `view` (metadata only) is the metadata client's; the resource client reads whole objects.

/** `get` of the object, or with `subresource` of that subresource (`status`, `scale`). */
export function getVerb({ rest, base }: ResourceContext, subresource?: string, view: ReadView = {}) {
  return async (name: string, options?: AnyOptions) => rest.json(buildRequest(base, { verb: "get", name, subresource, options, ...view }), options);
}

/** One page of the collection. */
export function listVerb({ rest, base }: ResourceContext, view: ReadView = {}) {
  return async (options?: AnyOptions) => rest.json<ResourceList<unknown>>(buildRequest(base, { verb: "list", options, ...view }), options);
}

/** A resuming watch by default; `{ resume: false }` is one plain watch request. Bad arguments throw at the call. */
export function watchVerb({ rest, base }: ResourceContext, view: ReadView = {}) {
  return marksStreamingLists((options?: AnyOptions) => {
    const maxEventBytes = options?.maxEventBytes as number | undefined;
    checkOptionalByteCount("maxEventBytes", maxEventBytes);
    if (options?.resume === false) return watchEvents(rest, buildRequest(base, { verb: "watch", options, ...view }), options, maxEventBytes);
    const requests = buildWatchRequests(base, options, view);
    return resumingWatch(resourceWatchConnector(rest, requests), {
      ...(requests.start !== undefined && { resourceVersion: requests.start }),
      ...(options?.signal && { signal: options.signal }),
      ...(maxEventBytes !== undefined && { maxEventBytes }),
    });
  });
}

/** Streams one watch request, ending quietly when the caller aborts (that is how a watch is meant to stop). */
function watchEvents<T>(rest: RestClient, built: BuiltRequest, options: AnyOptions, maxEventBytes: number | undefined): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const decoding = { ...(options.signal && { stopped: options.signal }), ...(maxEventBytes !== undefined && { maxEventBytes }) };
  return decodeWatchEvents<T>(requestedBody(rest, built, options), `${built.method} ${rest.url(built.path)}`, decoding);
}

/** The body of `built`, requested when it is first read (as a watch that is never iterated sends nothing). */
async function* requestedBody(rest: RestClient, built: BuiltRequest, options: AnyOptions): AsyncGenerator<Uint8Array, void, undefined> {
  yield* await rest.stream(built, options);
}
