import { resolve } from "node:path";
import { namesAggregatedDiscovery, type DocumentFetcher, type FetchedDocument } from "./fetcher.js";
import { AGGREGATED_CONTENT_TYPE, snapshotFile } from "./snapshot-layout.js";
import { hashFromUrl } from "./openapi.js";
import { contentDigest } from "../cache/document-cache.js";
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
      if (body === undefined) return notFound(path);
      return { status: 200, contentType: "application/json", body: path === "/openapi/v3" ? await indexOfStoredDocuments(root, body) : body };
    },
  };
}

/**
 * The `/openapi/v3` index with each hash that is a digest (what kube-apiserver puts there: the upper-case hex
 * SHA-512 of the bytes it serves) checked against the bytes the snapshot holds, and replaced by theirs where they
 * differ: a document edited after recording must not pass for the one the server hashed, since the OpenAPI cache
 * and the unchanged-output check trust the hash. A hash of another shape cannot be checked and is kept.
 */
async function indexOfStoredDocuments(root: string, body: string): Promise<string> {
  let index: { paths?: Record<string, { serverRelativeURL?: unknown } | null> };
  try {
    index = JSON.parse(body) as typeof index;
  } catch {
    return body; // whoever parses it says what is wrong with it
  }
  for (const entry of Object.values(index.paths ?? {})) {
    const url = entry?.serverRelativeURL;
    const hash = typeof url === "string" ? hashFromUrl(url) : undefined;
    if (typeof url !== "string" || hash === undefined) continue;
    const stored = await readIfExists(snapshotFile(root, url, false));
    const own = stored === undefined ? undefined : contentDigest(hash, stored);
    if (own !== undefined && own !== hash.toUpperCase()) entry!.serverRelativeURL = url.replace(`hash=${hash}`, `hash=${own}`);
  }
  return JSON.stringify(index);
}


function notFound(path: string): FetchedDocument {
  return { status: 404, contentType: "text/plain", body: `${path} is not in the snapshot` };
}
