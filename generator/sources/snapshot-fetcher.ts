import { resolve } from "node:path";
import { namesAggregatedDiscovery, type DocumentFetcher, type FetchedDocument } from "./fetcher.js";
import { AGGREGATED_CONTENT_TYPE, snapshotFile } from "./snapshot-layout.js";
import { readIfExists } from "../files.js";

/**
 * Replays a snapshot folder (see snapshot-layout.ts) as if it were the server: a file that is not there
 * answers 404, just as a server that does not serve the path would (e.g. `/openapi/v3` before 1.23).
 */
export function createSnapshotFetcher(folder: string): DocumentFetcher {
  const root = resolve(folder);
  return {
    origin: `snapshot ${folder}`,
    async get(path, accept) {
      if (namesAggregatedDiscovery(accept)) {
        const aggregated = await readIfExists(snapshotFile(root, path, true));
        if (aggregated !== undefined) return { status: 200, contentType: AGGREGATED_CONTENT_TYPE, body: aggregated };
      }
      const body = await readIfExists(snapshotFile(root, path, false));
      return body === undefined ? notFound(path) : { status: 200, contentType: "application/json", body };
    },
  };
}


function notFound(path: string): FetchedDocument {
  return { status: 404, contentType: "text/plain", body: `${path} is not in the snapshot` };
}
