// waitFor: watch one object until a predicate holds, like `kubectl wait`, with a typed error when time runs out.
import type { ResourceList } from "../api/objects.js";
import { checkDuration, validateName } from "../request/validation.js";
import { fields } from "../selectors.js";
import { clearLongTimeout, setLongTimeout } from "../timers.js";
import type { WatchEvent } from "../watch/decode.js";
import { watcher, type WatcherApi } from "../watch/watcher.js";
import type { ClientNeeding } from "../api/verb-needs.js";
import { describePredicate, type WaitPredicate } from "./wait-predicates.js";

/** What `waitFor` needs of a resource client: `list` and `watch` (any `kube.resource(d)` with both verbs). */
export interface WaitSource<T> {
  list(options?: { namespace?: string; fieldSelector?: string; limit?: number; continue?: string; signal?: AbortSignal }): Promise<ResourceList<T>>;
  watch(options?: { namespace?: string; fieldSelector?: string; resourceVersion?: string; resume?: boolean; allowWatchBookmarks?: boolean; signal?: AbortSignal }): AsyncIterable<WatchEvent<T>>;
}

/** The objects a wait source answers (`WithName<Deployment>` for `kube.resource(deployments)`). */
export type WaitObject<S> = S extends WaitSource<infer T> ? T : never;

/** Where the object is and how long to wait. */
export interface WaitOptions {
  /** Namespace of the object; default the client's. */
  namespace?: string | undefined;
  /** Give up after this long with `WaitTimeoutError`. Default 30,000 ms; 0 waits without limit. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** `waitFor` ran out of time: names the object, what it waited for and what it saw last. */
export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError";
  /** The object as last seen (undefined: it did not exist). */
  readonly lastSeen: unknown;
  constructor(message: string, lastSeen: unknown) {
    super(message);
    this.lastSeen = lastSeen;
  }
}

/**
 * Resolves once `predicate` holds for the object `name` (undefined when it does not exist): it checks the
 * current state, then every change seen by a watch on that one object, as `kubectl wait` does. Answers the
 * object in the state that satisfied it. Rejects with `WaitTimeoutError` after `timeoutMs`, with the
 * predicate's own error when it throws (a failed Job for `jobComplete()`), or with the abort reason.
 *
 * ```ts
 * await waitFor(kube.resource(deployments), "web", condition("Available"), { timeoutMs: 60_000 });
 * await waitFor(kube.resource(configMaps), "old", deleted());
 * ```
 */
export async function waitFor<S extends object>(
  source: ClientNeeding<S, WaitSource<any>, "waitFor", ["list", "watch"]>,
  name: string,
  predicate: WaitPredicate<WaitObject<S>>,
  options: WaitOptions = {},
): Promise<WaitObject<S> | undefined> {
  validateName(name);
  const timeoutMs = options.timeoutMs ?? 30_000;
  checkDuration("timeoutMs", timeoutMs, "non-negative");
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  let timedOut = false;
  const timer = timeoutMs > 0 ? setLongTimeout(() => ((timedOut = true), stop.abort()), timeoutMs) : undefined;
  const seen: { object: WaitObject<S> | undefined } = { object: undefined };
  try {
    return await watchUntil(source as WaitSource<WaitObject<S>>, name, predicate, options.namespace, stop.signal, seen);
  } catch (error) {
    if (timedOut) {
      const namespace = options.namespace ?? (seen.object as { metadata?: { namespace?: string } } | undefined)?.metadata?.namespace;
      const what = `${describePredicate(predicate)} of ${namespace ? `${namespace}/` : ""}${name}`;
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${summarize(seen.object)}`, seen.object);
    }
    if (stop.signal.aborted) throw options.signal?.reason ?? error;
    throw error;
  } finally {
    clearLongTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Lists the one object, checks it, then checks every change the watch sees; the watcher loop resumes dropped
 * watches and lists again when the version expired (410).
 */
async function watchUntil<T>(source: WaitSource<T>, name: string, predicate: WaitPredicate<T>, namespace: string | undefined, signal: AbortSignal, seen: { object: T | undefined }): Promise<T | undefined> {
  const scope = { ...(namespace !== undefined && { namespace }), fieldSelector: fields({ "metadata.name": name }) };
  const api: WatcherApi<T> = {
    url: name,
    list: (page, signal) => source.list({ ...scope, ...page, signal }),
    watch: (connection, signal) => source.watch({ ...scope, ...connection, resume: false, allowWatchBookmarks: true, signal }),
  };
  let listed: T | undefined;
  for await (const event of watcher(api, { initial: "pages", signal })) {
    if (event.type === "INIT" || event.type === "INIT_APPLY") listed = event.type === "INIT" ? undefined : event.object;
    else if (event.type !== "BOOKMARK") {
      seen.object = event.type === "INIT_DONE" ? listed : event.type === "DELETED" ? undefined : event.object;
      if (predicate(seen.object)) return seen.object;
    }
  }
  throw new Error("waitFor was aborted");
}

function summarize(object: unknown): string {
  if (object === undefined) return "the object does not exist";
  const status = (object as { status?: unknown }).status;
  const text = JSON.stringify(status === undefined ? { metadata: (object as { metadata?: unknown }).metadata } : { status });
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
