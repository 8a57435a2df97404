import type { KubeClient } from "../client/kube-client.js";
import type { ResourceList } from "../client/types.js";
import { buildRequest, buildResourcePath, type QueryParams, type ResourceTarget } from "../request/index.js";
import type { WatchConnector } from "./resume.js";

/**
 * The connector of a resuming watch on one collection: `query` holds the caller's selectors and
 * `timeoutSeconds`; bookmarks are asked for unless the caller set `allowWatchBookmarks: false`, because
 * they let a reconnect start from a recent version instead of one that may have expired.
 */
export function resourceWatchConnector(kube: KubeClient, target: ResourceTarget, query: QueryParams): WatchConnector {
  const url = `${kube.server.replace(/\/+$/, "")}${buildResourcePath(target)}`;
  const { resourceVersion: _ignored, ...rest } = query;
  const watchQuery: QueryParams = { ...rest, allowWatchBookmarks: query.allowWatchBookmarks ?? true };
  // Validates selectors and the rest now, so a bad argument throws at the call, not at the first iteration.
  buildRequest(target, { verb: "watch", query: watchQuery });
  return {
    url,
    async open(resourceVersion, signal) {
      const built = buildRequest(target, { verb: "watch", query: { ...watchQuery, resourceVersion } });
      return kube.requestStream({ ...built, signal });
    },
    async currentResourceVersion(signal) {
      // limit=1 keeps the answer small; a list's resourceVersion is that of the whole collection.
      const { labelSelector, fieldSelector } = query;
      const built = buildRequest(target, { verb: "list", query: { labelSelector, fieldSelector, limit: 1 } });
      const list = await kube.requestJson<ResourceList<unknown>>({ ...built, signal });
      const version = list?.metadata?.resourceVersion;
      if (!version) throw new Error(`GET ${url}: the list answer has no metadata.resourceVersion to start a watch from; pass resourceVersion`);
      return version;
    },
  };
}
