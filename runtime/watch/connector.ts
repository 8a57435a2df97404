// How a resuming watch on one collection reaches the server: open a stream from a version, or find the current one.
import type { ResourceList } from "../api/objects.js";
import { buildRequest, type ReadView, type ResourceTarget } from "../request/build.js";
import { buildResourcePath } from "../request/path.js";
import type { QueryParams } from "../request/query.js";
import type { RestClient } from "../rest/types.js";
import type { WatchConnector } from "./resume.js";

/**
 * The connector of a resuming watch on one collection: `query` holds the caller's selectors and
 * `timeoutSeconds`; bookmarks are asked for unless the caller set `allowWatchBookmarks: false`, because
 * they let a reconnect start from a recent version instead of one that may have expired. `view` asks for
 * metadata-only events (`PartialObjectMetadata`).
 */
export function resourceWatchConnector(rest: RestClient, target: ResourceTarget, query: QueryParams, view: ReadView = {}): WatchConnector {
  const url = `${rest.server.replace(/\/+$/, "")}${buildResourcePath(target)}`;
  const { resourceVersion: _ignored, ...others } = query;
  const watchQuery: QueryParams = { ...others, allowWatchBookmarks: query.allowWatchBookmarks ?? true };
  // Validates selectors and the rest now, so a bad argument throws at the call, not at the first iteration.
  buildRequest(target, { verb: "watch", query: watchQuery, ...view });
  return {
    url,
    async open(resourceVersion, signal) {
      return rest.stream(buildRequest(target, { verb: "watch", query: { ...watchQuery, resourceVersion }, ...view }), { signal });
    },
    async currentResourceVersion(signal) {
      // limit=1 keeps the answer small; a list's resourceVersion is that of the whole collection.
      const { labelSelector, fieldSelector } = query;
      const list = await rest.json<ResourceList<unknown>>(buildRequest(target, { verb: "list", query: { labelSelector, fieldSelector, limit: 1 }, ...view }), { signal });
      const version = list?.metadata?.resourceVersion;
      if (!version) throw new Error(`GET ${url}: the list answer has no metadata.resourceVersion to start a watch from; pass resourceVersion`);
      return version;
    },
  };
}
