// How a resuming watch on one collection reaches the server: open a stream from a version, or find the current one.
import type { ResourceList } from "../api/objects.js";
import type { WatchRequests } from "../request/build.js";
import type { RestClient } from "../rest/types.js";
import type { WatchConnector } from "./resume.js";

/**
 * The connector of a resuming watch over `requests`, built (and a bad argument thrown) at the call, once
 * (`buildWatchRequests`): each reconnect only says where it starts.
 */
export function resourceWatchConnector(rest: RestClient, requests: WatchRequests): WatchConnector {
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
