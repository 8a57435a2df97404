import { hashMatchesContent, type DocumentCache } from "../cache/document-cache.js";
import type { DocumentFetcher } from "./fetcher.js";

/**
 * Wraps a fetcher so hashed OpenAPI documents (`/openapi/v3/<gv>?hash=H`) come from the disk cache when
 * present, and are stored there when fetched. Everything else passes through: discovery and the
 * `/openapi/v3` index change with the cluster and are read every time. Cache trouble (a read-only
 * folder) costs a warning and a fetch, never the run.
 */
export function createCachingFetcher(inner: DocumentFetcher, cache: DocumentCache, warn: (message: string) => void = () => {}): DocumentFetcher {
  let warnedWrite = false;
  return {
    origin: inner.origin,
    async get(path, accept) {
      const hash = cacheableHash(path);
      if (hash === undefined) return inner.get(path, accept);
      const cached = await cache.read(hash).catch((error: Error) => {
        warn(`OpenAPI cache ${cache.dir} could not be read (${error.message}); fetching ${path}`);
        return undefined;
      });
      if (cached !== undefined) return { status: 200, contentType: "application/json", body: cached };
      const answer = await inner.get(path, accept);
      if (answer.status !== 200 || !isStorable(hash, answer.body)) return answer;
      await cache.write(hash, answer.body).catch((error: Error) => {
        if (!warnedWrite) warn(`OpenAPI cache ${cache.dir} could not be written (${error.message}); pass --cache-dir DIR or --no-cache`);
        warnedWrite = true;
      });
      return answer;
    },
  };
}

/** The `hash` query parameter of an `/openapi/v3/...` document path, when it has one. */
export function cacheableHash(path: string): string | undefined {
  const [pathOnly, query] = path.split("?", 2);
  if (query === undefined || !pathOnly?.startsWith("/openapi/v3/")) return undefined;
  const hash = new URLSearchParams(query).get("hash");
  return hash === null || hash === "" ? undefined : hash;
}

/**
 * Only JSON is stored, and when the hash is a digest we can recompute it must match the body (a proxy
 * that rewrites documents must not poison the cache under the server's hash).
 */
function isStorable(hash: string, body: string): boolean {
  try {
    JSON.parse(body);
  } catch {
    return false;
  }
  return hashMatchesContent(hash, body) || !/^[0-9a-fA-F]{64}([0-9a-fA-F]{64})?$/.test(hash);
}
