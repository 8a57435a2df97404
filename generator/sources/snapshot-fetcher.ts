import { createHash } from "node:crypto";
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
      if (body === undefined) return notFound(path);
      return { status: 200, contentType: "application/json", body: path === "/openapi/v3" ? await indexOfStoredDocuments(root, body) : body };
    },
  };
}

/**
 * The `/openapi/v3` index with each SHA-512 hash (what kube-apiserver puts there: upper-case hex of the bytes it
 * serves) checked against the bytes the snapshot holds, and replaced by theirs where they differ: a document
 * edited after recording must not pass for the one the server hashed, since the OpenAPI cache and the
 * unchanged-output check trust the hash. A hash of another shape cannot be checked and is kept.
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
    if (typeof url !== "string" || !/[?&]hash=[0-9A-F]{128}(&|$)/.test(url)) continue;
    const stored = await readIfExists(snapshotFile(root, url, false));
    if (stored !== undefined) entry!.serverRelativeURL = url.replace(/([?&]hash=)[0-9A-F]{128}/, `$1${createHash("sha512").update(stored).digest("hex").toUpperCase()}`);
  }
  return JSON.stringify(index);
}


function notFound(path: string): FetchedDocument {
  return { status: 404, contentType: "text/plain", body: `${path} is not in the snapshot` };
}
