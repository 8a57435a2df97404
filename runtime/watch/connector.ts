// How a resuming watch on one collection reaches the server: open a stream from a version, or find the current one.
import type { ResourceList } from "../api/objects.js";
import type { RequestBase } from "../request/base.js";
import { buildRequest, requestPath, type ReadView } from "../request/build.js";
import type { VerbOptions } from "../request/build.js";
import type { RestClient } from "../rest/types.js";
import type { WatchConnector } from "./resume.js";

/**
 * The connector of a resuming watch on `base`'s collection: `options` are the watch's own (namespace,
 * selectors, `timeoutSeconds`); bookmarks are asked for unless the caller set `allowWatchBookmarks: false`,
 * because they let a reconnect start from a recent version instead of one that may have expired. `view`
 * asks for metadata-only events (`PartialObjectMetadata`).
 */
export function resourceWatchConnector(rest: RestClient, base: RequestBase, options: VerbOptions | undefined, view: ReadView = {}): WatchConnector {
  const url = rest.url(requestPath(base, options));
  const watchOptions: VerbOptions = { ...options, resourceVersion: undefined, allowWatchBookmarks: options?.allowWatchBookmarks ?? true };
  // Validates selectors and the rest now, so a bad argument throws at the call, not at the first iteration.
  buildRequest(base, { verb: "watch", options: watchOptions, ...view });
  return {
    url,
    async open(resourceVersion, signal) {
      return rest.stream(buildRequest(base, { verb: "watch", options: { ...watchOptions, resourceVersion }, ...view }), { signal });
    },
    async currentResourceVersion(signal) {
      // limit=1 keeps the answer small; a list's resourceVersion is that of the whole collection.
      const { namespace, allNamespaces, labelSelector, fieldSelector } = options ?? {};
      const list = await rest.json<ResourceList<unknown>>(buildRequest(base, { verb: "list", options: { namespace, allNamespaces, labelSelector, fieldSelector, limit: 1 }, ...view }), { signal });
      const version = list?.metadata?.resourceVersion;
      if (!version) throw new Error(`GET ${url}: the list answer has no metadata.resourceVersion to start a watch from; pass resourceVersion`);
      return version;
    },
  };
}
