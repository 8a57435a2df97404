import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { namesAggregatedDiscovery, type DocumentFetcher } from "./fetcher.js";
import { snapshotFile } from "./snapshot-layout.js";

/**
 * Wraps a fetcher and writes every successful answer into a snapshot folder (layout in snapshot-layout.ts),
 * byte for byte, so `--from` that folder replays exactly what the generator saw. Non-200 answers are not
 * recorded: replay answers 404 for them, which the generator treats the same way (skip or fall back).
 */
export function createRecordingFetcher(inner: DocumentFetcher, folder: string): DocumentFetcher {
  const root = resolve(folder);
  return {
    origin: inner.origin,
    async get(path, accept) {
      const document = await inner.get(path, accept);
      if (document.status === 200) {
        const file = snapshotFile(root, path, isAggregatedAnswer(document.contentType, document.body));
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, document.body);
      }
      return document;
    },
  };
}

function isAggregatedAnswer(contentType: string | undefined, body: string): boolean {
  if (namesAggregatedDiscovery(contentType)) return true;
  // Some proxies drop media type parameters; the kind in the body still tells.
  return /^\s*\{[^]{0,200}"kind"\s*:\s*"APIGroupDiscoveryList"/.test(body);
}
