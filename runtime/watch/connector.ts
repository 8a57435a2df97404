// How a resuming watch on one collection reaches the server: open a stream from a version, or find the current one.
import type { ResourceList } from "../api/objects.js";
import type { RequestBase } from "../request/base.js";
import { buildWatchRequests, type ReadView, type VerbOptions } from "../request/build.js";
import type { RestClient } from "../rest/types.js";
import type { WatchConnector } from "./resume.js";

/**
 * The connector of a resuming watch on `base`'s collection with the watch's own `options`; its requests are
 * built (and a bad argument thrown) at the call, once, and each reconnect only says where it starts. `view`
 * asks for metadata-only events (`PartialObjectMetadata`).
 */
export function resourceWatchConnector(rest: RestClient, base: RequestBase, options: VerbOptions | undefined, view: ReadView = {}): WatchConnector {
  const requests = buildWatchRequests(base, options, view);
  const url = rest.url(requests.collectionPath);
  return {
    url,
    async open(resourceVersion, signal) {
      return rest.stream(requests.from(resourceVersion), { signal });
    },
    async currentResourceVersion(signal) {
      const list = await rest.json<ResourceList<unknown>>(requests.currentVersion, { signal });
      const version = list?.metadata?.resourceVersion;
      if (!version) throw new Error(`GET ${url}: the list answer has no metadata.resourceVersion to start a watch from; pass resourceVersion`);
      return version;
    },
  };
}
