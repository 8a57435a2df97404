// A stateless watch that outlives its connections: the watcher loop without a list, over raw watch streams.
import { decodeWatchEvents, type WatchObjectEvent } from "./decode.js";
import type { WatchBackoff } from "./backoff.js";
import { watcher } from "./watcher.js";

export { watchEventError } from "./retry-decision.js";

/** How a resuming watch reaches the server; `runtime/watch/connector.ts` builds one for a resource client. */
export interface WatchConnector {
  /** The collection's URL without query, for error messages. */
  readonly url: string;
  /** Opens one watch stream starting after `resourceVersion`; rejects with a `StatusError` on a non-2xx answer. */
  open(resourceVersion: string, signal: AbortSignal): Promise<AsyncIterable<Uint8Array | string>>;
  /** The collection's current resourceVersion, for a watch that was given none. */
  currentResourceVersion(signal: AbortSignal): Promise<string>;
}

/** Where a resuming watch starts, how it backs off between reconnects, and what stops it. */
export interface ResumingWatchOptions {
  /** Start after this version; unset (or "0") = the collection's current version: changes from now on. */
  resourceVersion?: string;
  signal?: AbortSignal;
  backoff?: WatchBackoff;
  /** Connections that lived at least this long count as healthy even without events; default 1,000 ms. */
  healthyAfterMs?: number;
  /** The largest event accepted, in bytes (`decodeWatchEvents`); default 32 MiB. */
  maxEventBytes?: number;
}

/**
 * A watch that resumes from the last resourceVersion it yielded (bookmarks included) when a stream breaks or the
 * server ends it, so no event is lost or repeated; the reconnects and their backoff are the watcher loop's
 * (`watcher.ts`). Throws a `StatusError` (`isGone`) when the version has expired: list again and watch from the
 * list's resourceVersion. Other refusals (401, 403, 404, ...) are thrown as their `StatusError`.
 */
export function resumingWatch<T>(connector: WatchConnector, options: ResumingWatchOptions = {}): AsyncGenerator<WatchObjectEvent<T>, void, undefined> {
  const events = watcher<T>(
    {
      url: connector.url,
      list: async (_page, signal) => ({ apiVersion: "v1", kind: "List", metadata: { resourceVersion: await connector.currentResourceVersion(signal) }, items: [] }),
      watch: (connection, signal) => decodeWatchEvents<T>(opened(connector, connection.resourceVersion ?? "", signal), connector.url, { maxEventBytes: options.maxEventBytes }),
    },
    { initial: "none", resourceVersion: options.resourceVersion, signal: options.signal, backoff: options.backoff, healthyAfterMs: options.healthyAfterMs },
  );
  // Without a list the loop yields no INIT events: only the watch's own.
  return events as AsyncGenerator<WatchObjectEvent<T>, void, undefined>;
}

/** The stream of one connection, opened when it is first read. */
async function* opened(connector: WatchConnector, resourceVersion: string, signal: AbortSignal): AsyncGenerator<Uint8Array | string, void, undefined> {
  yield* await connector.open(resourceVersion, signal);
}

