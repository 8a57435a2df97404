import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { DocumentFetcher, FetchedDocument } from "../../../generator/sources/index.js";

/** `../shared/k8s/live/v1.20.2-with-crds` beside the project root: a full recording of a 1.20.2 server. */
export const LIVE_SNAPSHOT = fileURLToPath(new URL("../../../../shared/k8s/live/v1.20.2-with-crds", import.meta.url));

/** Whether the shared recording is present; in CI its absence is a failure, elsewhere a skip with the path named. */
export function liveSnapshotAvailable(): boolean {
  if (existsSync(LIVE_SNAPSHOT)) return true;
  if (process.env.CI) throw new Error(`missing shared test data ${LIVE_SNAPSHOT} (../shared/k8s beside the project)`);
  console.warn(`skipping: shared test data not found at ${LIVE_SNAPSHOT}`);
  return false;
}

/** A fetcher answering from a table (objects are served as JSON), logging every request made. */
export function tableFetcher(
  table: Record<string, FetchedDocument | object>,
  fallback?: DocumentFetcher,
): DocumentFetcher & { requests: Array<{ path: string; accept: string | undefined }> } {
  const requests: Array<{ path: string; accept: string | undefined }> = [];
  return {
    origin: "table",
    requests,
    async get(path, accept) {
      requests.push({ path, accept });
      const entry = table[path];
      if (entry === undefined) {
        return fallback ? fallback.get(path, accept) : { status: 404, body: "not found" };
      }
      if ("status" in entry && "body" in entry) return entry as FetchedDocument;
      return { status: 200, contentType: "application/json", body: JSON.stringify(entry) };
    },
  };
}
