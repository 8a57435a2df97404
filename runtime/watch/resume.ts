import type { Status } from "../api/objects.js";
import { isGone, StatusError, statusErrorFromStatus } from "../rest/status-errors.js";
import { NetworkError, TlsError } from "../transport/errors.js";
import { BackoffSchedule, waitUnlessAborted, type WatchBackoff } from "./backoff.js";
import { decodeWatchEvents, WatchDecodeError, type WatchObjectEvent } from "./decode.js";

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
 * A watch that outlives its connections: when a stream breaks or the server ends it (`timeoutSeconds`, API
 * server restarts), it reconnects from the last resourceVersion it yielded (bookmarks included), so no event
 * is lost or repeated. Failed reconnects back off (bounded); a connection that delivered events reconnects at once.
 *
 * Ends quietly when `signal` aborts or the consumer stops iterating, with no socket or timer left behind.
 * Throws a `GoneError` (`isGone`) when the version has expired (HTTP 410, or an ERROR event with code 410):
 * list again and watch from the list's resourceVersion. Other refusals (401, 403, 404, ...) are thrown as
 * their `StatusError`; network failures, 429 and 5xx are retried.
 */
export async function* resumingWatch<T>(connector: WatchConnector, options: ResumingWatchOptions = {}): AsyncGenerator<WatchObjectEvent<T>, void, undefined> {
  const stopped = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopped.signal]) : stopped.signal;
  const backoff = new BackoffSchedule(options.backoff);
  const healthyAfterMs = options.healthyAfterMs ?? 1_000;
  const decodeOptions = options.maxEventBytes === undefined ? {} : { maxEventBytes: options.maxEventBytes };
  try {
    let resourceVersion = options.resourceVersion;
    while (resourceVersion === undefined || resourceVersion === "" || resourceVersion === "0") {
      try {
        resourceVersion = await connector.currentResourceVersion(signal);
      } catch (error) {
        if (signal.aborted || !isRetryable(error)) throw error;
        await waitUnlessAborted(backoff.nextDelayMs(), signal);
        if (signal.aborted) return;
      }
    }
    backoff.reset();
    while (!signal.aborted) {
      const openedAt = Date.now();
      let delivered = false;
      try {
        const stream = await connector.open(resourceVersion, signal);
        for await (const event of decodeWatchEvents<T>(stream, connector.url, decodeOptions)) {
          if (event.type === "ERROR") {
            const error = watchEventError(event.object, connector.url);
            if (!isRetryable(error)) throw error;
            break; // e.g. a 500 from the server's watch cache: reconnect like after a drop
          }
          const version = (event.object as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
          if (typeof version === "string" && version !== "") resourceVersion = version;
          delivered = true;
          yield event;
        }
      } catch (error) {
        if (signal.aborted) return;
        if (!isRetryable(error)) throw error;
      }
      if (delivered || Date.now() - openedAt >= healthyAfterMs) {
        backoff.reset();
        continue;
      }
      await waitUnlessAborted(backoff.nextDelayMs(), signal);
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  } finally {
    // Whatever is still pending (a connect, a backoff wait) is cancelled when the consumer stops.
    stopped.abort();
  }
}

/** An ERROR event's Status as a typed error: `GoneError` for 410/Expired/Gone. */
export function watchEventError(status: Status, url: string): StatusError {
  // Some servers send 410 without a reason, or reason "Expired" without a code: both mean Gone.
  const gone = status.code === 410 || status.reason === "Expired" || status.reason === "Gone";
  const normalized: Status = gone ? { ...status, code: 410, reason: status.reason || "Expired" } : status;
  return statusErrorFromStatus(normalized, { method: "WATCH", url });
}

/** Failures a reconnect can cure: dropped or truncated streams, rate limits and server-side errors (never 410). */
export function isRetryable(error: unknown): boolean {
  if (isGone(error)) return false;
  if (error instanceof StatusError) return error.code === 429 || error.code >= 500;
  if (error instanceof WatchDecodeError) return error.truncated;
  if (error instanceof TlsError) return false;
  if (error instanceof NetworkError) return true;
  // Reading a body that breaks mid-way fails with undici's or Node's own socket errors, not ours.
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("UND_ERR_") || /^E[A-Z]+$/.test(code) || code === "ERR_STREAM_PREMATURE_CLOSE");
}
