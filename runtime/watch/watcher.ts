// The one list → watch → resume-or-relist loop: every reconnect, relist and retry of a watched collection happens here.
import type { ResourceList } from "../api/objects.js";
import { waitUnlessAborted, type WatchBackoff } from "./backoff.js";
import type { WatchEvent, WatchObjectEvent } from "./decode.js";
import { paginatePages } from "./paginate.js";
import { RetryDecision, StreamingListUnsupportedError, watchEventError, type Attempt } from "./retry-decision.js";

/**
 * What the loop yields: `INIT` when a (re)list starts, `INIT_APPLY` per object of it, `INIT_DONE` when it is
 * complete (a consumer replaces its state with the objects since `INIT`), then the watch's own events.
 */
export type WatcherEvent<T> = { type: "INIT" } | { type: "INIT_APPLY"; object: T } | { type: "INIT_DONE"; resourceVersion: string } | WatchObjectEvent<T>;

/** The query of one watch connection, apart from the collection's scope and selectors. */
export interface WatchConnection {
  /** Unset for a streaming list: it starts from the newest state. */
  resourceVersion?: string;
  /** A streaming list (KEP-3157): the objects as ADDED events, then a bookmark annotated `k8s.io/initial-events-end`. */
  sendInitialEvents?: true;
  resourceVersionMatch?: "NotOlderThan";
}

/** How the loop reaches one collection: one page of it, or one watch connection (bookmarks asked for). */
export interface WatcherApi<T> {
  /** The collection's URL, for messages. */
  readonly url: string;
  list(page: { limit: number; continue?: string }, signal: AbortSignal): Promise<ResourceList<T>>;
  watch(connection: WatchConnection, signal: AbortSignal): AsyncIterable<WatchEvent<T>>;
}

/** How the collection is loaded before watching (and again after 410), and how the loop retries. */
export interface WatcherOptions {
  /**
   * "stream": a streaming list, falling back to paged lists for good where the server refuses or ignores it;
   * "pages": a paged list; "none": no state, a watch from `resourceVersion` (else the current one) that throws
   * a `StatusError` (`isGone`) when its version expires.
   */
  initial: "stream" | "pages" | "none";
  resourceVersion?: string | undefined;
  /** Page size of paged lists; default 500. */
  pageSize?: number | undefined;
  signal?: AbortSignal | undefined;
  backoff?: WatchBackoff | undefined;
  /** Connections that lived at least this long count as healthy even without events; default 1,000 ms. */
  healthyAfterMs?: number | undefined;
  /** Told every failure the loop retries, and a `RelistLoopError` when watches keep expiring. */
  onRetry?: ((error: unknown) => void) | undefined;
  /** Names the collection in `RelistLoopError`; default the URL. */
  plural?: string | undefined;
  /** A streaming list that sends nothing at all for this long is taken as ignored; default 10,000 ms. */
  firstEventWithinMs?: number | undefined;
}

/** The watch methods that pass `sendInitialEvents` to the server (kubetyped's clients'); a source of one's own may not. */
const streamingListWatches = new WeakSet<object>();

/** Marks `watch` as one that passes a streaming list's query to the server as it is. */
export function marksStreamingLists<W extends object>(watch: W): W {
  streamingListWatches.add(watch);
  return watch;
}

/** Whether `watch` passes a streaming list's query to the server (see `marksStreamingLists`). */
export function passesStreamingLists(watch: unknown): boolean {
  return typeof watch === "function" && streamingListWatches.has(watch);
}

/** A real streaming list starts within seconds (an empty one with its end bookmark); a server that ignores it may send nothing. */
const FIRST_EVENT_WITHIN_MS = 10_000;

/** The bookmark that ends a streaming list's initial events. */
const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

/** Where the loop stands: the version to resume from (undefined: load the state first) and how to load it. */
interface Cursor {
  resourceVersion: string | undefined;
  initial: WatcherOptions["initial"];
}

/**
 * Lists (or stream-lists), then watches from the list's version; a dropped or ended connection resumes from the
 * last version seen (bookmarks included) without a relist; an expired version (410) relists. Failed attempts
 * back off; a connection that made progress reconnects at once. Ends quietly when `signal` aborts or the
 * consumer stops, with no socket or timer left; throws what cannot be retried (401, 403, 404, ...).
 */
export async function* watcher<T>(api: WatcherApi<T>, options: WatcherOptions): AsyncGenerator<WatcherEvent<T>, void, undefined> {
  const stopped = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopped.signal]) : stopped.signal;
  const decision = new RetryDecision({ backoff: options.backoff, healthyAfterMs: options.healthyAfterMs, resumeOnly: options.initial === "none", plural: options.plural ?? api.url });
  const start = options.resourceVersion;
  const cursor: Cursor = { resourceVersion: start === "" || start === "0" ? undefined : start, initial: options.initial };
  try {
    while (!signal.aborted) {
      const attempt: Attempt = { step: nextStep(cursor), startedAt: Date.now(), delivered: false };
      let delayMs: number;
      try {
        yield* step(api, cursor, attempt, signal, decision, options);
        // A completed list (or current version) starts the backoff over; an ended watch decides for itself.
        if (attempt.step === "list") decision.listed();
        delayMs = attempt.step === "list" ? 0 : decision.ended(attempt);
      } catch (error) {
        if (signal.aborted) return;
        const verdict = decision.failed(error, attempt);
        if (verdict.action === "throw") throw error;
        if (verdict.pagedFromNowOn) cursor.initial = "pages";
        if (verdict.relist) cursor.resourceVersion = undefined;
        if (verdict.report !== undefined) options.onRetry?.(verdict.report);
        delayMs = verdict.delayMs;
      }
      await waitUnlessAborted(delayMs, signal);
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  } finally {
    // Whatever is still pending (a connect, a backoff wait) is cancelled when the consumer stops.
    stopped.abort();
  }
}

/** Watch from the cursor's version when there is one, else load the state: by a streaming list, or a list. */
function nextStep(cursor: Cursor): Attempt["step"] {
  if (cursor.resourceVersion !== undefined) return "watch";
  return cursor.initial === "stream" ? "stream" : "list";
}

/** One attempt: load the state (or find the current version), or watch from the cursor's version. */
function step<T>(api: WatcherApi<T>, cursor: Cursor, attempt: Attempt, signal: AbortSignal, decision: RetryDecision, options: WatcherOptions): AsyncGenerator<WatcherEvent<T>, void, undefined> {
  if (attempt.step === "watch") return watchFrom(api.watch({ resourceVersion: cursor.resourceVersion! }, signal), api.url, cursor, attempt);
  if (attempt.step === "stream") return streamingList(api, cursor, attempt, signal, decision, options.firstEventWithinMs ?? FIRST_EVENT_WITHIN_MS);
  return cursor.initial === "none" ? currentVersion(api, cursor, signal) : pagedList(api, cursor, signal, decision, options.pageSize ?? 500);
}

/** Yields the events of one watch connection, moving the cursor to each version it yields. */
async function* watchFrom<T>(events: AsyncIterable<WatchEvent<T>>, url: string, cursor: Cursor, attempt: Attempt): AsyncGenerator<WatcherEvent<T>, void, undefined> {
  for await (const event of events) {
    if (event.type === "ERROR") throw watchEventError(event.object, url);
    attempt.delivered = true;
    const version = versionOf(event.object);
    if (version !== undefined) cursor.resourceVersion = version;
    yield event;
  }
}

/** The collection in pages, as INIT, INIT_APPLY per object and INIT_DONE at the list's version. */
async function* pagedList<T>(api: WatcherApi<T>, cursor: Cursor, signal: AbortSignal, decision: RetryDecision, pageSize: number): AsyncGenerator<WatcherEvent<T>, void, undefined> {
  yield { type: "INIT" };
  let listVersion: string | undefined;
  const fetchPage = async (token: string | undefined) => {
    // The consumer may have stopped while it handled INIT or a page.
    signal.throwIfAborted();
    return api.list({ limit: pageSize, ...(token !== undefined && { continue: token }) }, signal);
  };
  for await (const page of paginatePages(fetchPage)) {
    listVersion ??= page.metadata?.resourceVersion;
    for (const object of page.items ?? []) yield { type: "INIT_APPLY", object };
  }
  if (!listVersion) throw new Error(`list of ${api.url}: the answer has no metadata.resourceVersion to watch from`);
  yield* listed(cursor, listVersion, decision);
}

/**
 * The collection as one watch connection (`sendInitialEvents`): its ADDED events up to the bookmark that ends them,
 * then the same connection goes on as a watch. Anything else before that bookmark, or nothing at all for
 * `firstEventWithinMs`, means the server ignored the request.
 */
async function* streamingList<T>(api: WatcherApi<T>, cursor: Cursor, attempt: Attempt, signal: AbortSignal, decision: RetryDecision, firstEventWithinMs: number): AsyncGenerator<WatcherEvent<T>, void, undefined> {
  yield { type: "INIT" };
  signal.throwIfAborted();
  const connection = new AbortController();
  const events = api.watch({ sendInitialEvents: true, resourceVersionMatch: "NotOlderThan" }, AbortSignal.any([signal, connection.signal]))[Symbol.asyncIterator]();
  const ignored = (what: string) => new StreamingListUnsupportedError(`watch ${api.url}: ${what}; the server does not serve streaming lists`);
  const before = `before the ${INITIAL_EVENTS_END} bookmark`;
  try {
    const first = withDeadline(events.next(), firstEventWithinMs, () => (connection.abort(), ignored(`nothing came for ${firstEventWithinMs} ms`)));
    for (let next = await first; !next.done; next = await events.next()) {
      const event = next.value;
      if (event.type === "ERROR") throw watchEventError(event.object, api.url);
      attempt.delivered = true;
      if (event.type === "ADDED") yield { type: "INIT_APPLY", object: event.object };
      else if (event.type === "BOOKMARK" && endsInitialEvents(event.object)) {
        const version = versionOf(event.object);
        if (version === undefined) throw ignored(`the ${INITIAL_EVENTS_END} bookmark has no resourceVersion`);
        yield* listed(cursor, version, decision);
        Object.assign(attempt, { step: "watch", startedAt: Date.now(), delivered: false });
        yield* watchFrom({ [Symbol.asyncIterator]: () => events }, api.url, cursor, attempt);
        return;
      } else throw ignored(`a ${event.type} event came ${before}`);
    }
    throw ignored(`the stream ended ${before}`);
  } finally {
    connection.abort();
    await events.return?.();
  }
}

/** `pending`, or `late()` thrown when it takes longer than `ms`; no timer is left behind. */
async function withDeadline<V>(pending: Promise<V>, ms: number, late: () => Error): Promise<V> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(late()), ms)));
  try {
    return await Promise.race([pending, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A list completed at `resourceVersion`: the cursor moves there and the consumer hears INIT_DONE. */
async function* listed<T>(cursor: Cursor, resourceVersion: string, decision: RetryDecision): AsyncGenerator<WatcherEvent<T>, void, undefined> {
  cursor.resourceVersion = resourceVersion;
  decision.listed();
  yield { type: "INIT_DONE", resourceVersion };
}

/** A stateless watch given no version starts at the collection's current one (a one-item list says which). */
async function* currentVersion<T>(api: WatcherApi<T>, cursor: Cursor, signal: AbortSignal): AsyncGenerator<WatcherEvent<T>, void, undefined> {
  const list = await api.list({ limit: 1 }, signal);
  const version = list?.metadata?.resourceVersion;
  if (!version) throw new Error(`GET ${api.url}: the list answer has no metadata.resourceVersion to start a watch from; pass resourceVersion`);
  cursor.resourceVersion = version;
}

function endsInitialEvents(object: unknown): boolean {
  return (object as { metadata?: { annotations?: Record<string, string> } } | null)?.metadata?.annotations?.[INITIAL_EVENTS_END] === "true";
}

function versionOf(object: unknown): string | undefined {
  const version = (object as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  return typeof version === "string" && version !== "" ? version : undefined;
}
