// The list-then-watch loop under an informer (client-go calls it a reflector): keeps a store equal to the server's collection.
import type { ResourceList } from "../api/objects.js";
import type { ObjectMetaLike } from "../api/objects.js";
import { isGone } from "../rest/status-errors.js";
import { BackoffSchedule, waitUnlessAborted, type WatchBackoff } from "../watch/backoff.js";
import type { WatchEvent } from "../watch/decode.js";
import { paginatePages } from "../watch/paginate.js";
import { isRetryable } from "../watch/resume.js";
import type { HandlerRegistry } from "./handlers.js";
import { RelistBackoff, RelistLoopError } from "./relist-backoff.js";
import { SharedStrings } from "./shared-strings.js";
import type { ObjectStore } from "./store.js";

/** An object as the informer needs it: type meta to fill in, metadata to key and version it. */
export type Stored = { apiVersion?: string; kind?: string; metadata?: ObjectMetaLike };

/** Scope and selectors an informer hands to `list` and `watch`. */
export interface CollectionQuery {
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  signal?: AbortSignal;
}

/** The two verbs a reflector calls (an `InformerSource` without its descriptor). */
export interface ListWatch<T> {
  list(options?: CollectionQuery & { limit?: number; continue?: string }): Promise<ResourceList<T>>;
  watch(options?: CollectionQuery & { resourceVersion?: string; timeoutSeconds?: number; maxEventBytes?: number }): AsyncIterable<WatchEvent<T>>;
}

export interface ReflectorOptions<T> {
  /** What the collection is, for messages and for objects that arrive without type meta. */
  plural: string;
  apiVersion: string;
  kind: string;
  scope: CollectionQuery;
  pageSize: number;
  timeoutSeconds?: number;
  maxEventBytes?: number;
  backoff?: WatchBackoff;
  /** Applied to each object before it is stored (the informer's `transform`). */
  transform?: (object: T) => T;
}

/**
 * Lists the collection page by page, then watches from the list's resourceVersion. A dropped watch resumes
 * without a relist; an expired version (410) relists, replaces the store and fires deletes for objects that
 * vanished and adds/updates for the ones that appeared or changed meanwhile.
 */
export class Reflector<T extends Stored> {
  /** The newest resourceVersion seen (list or event). */
  resourceVersion: string | undefined;
  listCount = 0;
  /** The namespace of the first object seen, so `get(name)` works without one on a single-namespace informer. */
  learnedNamespace: string | undefined;
  readonly #shared = new SharedStrings();

  constructor(
    private readonly source: ListWatch<T>,
    private readonly store: ObjectStore<T>,
    private readonly handlers: HandlerRegistry<T>,
    private readonly options: ReflectorOptions<T>,
  ) {}

  /** Lists, then watches, until `signal` aborts; `synced` is called after each successful list. */
  async run(signal: AbortSignal, synced: () => void): Promise<void> {
    const backoff = new BackoffSchedule(this.options.backoff);
    const relistBackoff = new RelistBackoff(this.options.backoff);
    while (!signal.aborted) {
      let watchStartedAt: number | undefined;
      try {
        const listVersion = await this.relist();
        backoff.reset();
        synced();
        const watchOptions = this.watchOptions(listVersion);
        watchStartedAt = Date.now();
        for await (const event of this.source.watch(watchOptions)) this.apply(event);
      } catch (error) {
        if (signal.aborted) return;
        // The version (or a continue token) expired: relist, at once the first time, with backoff when it keeps happening.
        if (isGone(error)) await this.afterExpiry(relistBackoff, error, watchStartedAt, signal);
        else if (!isRetryable(error)) throw error;
        else {
          this.handlers.emit("error", error);
          await waitUnlessAborted(backoff.nextDelayMs(), signal);
        }
      }
    }
  }

  private watchOptions(resourceVersion: string) {
    const { scope, timeoutSeconds, maxEventBytes } = this.options;
    return { ...scope, resourceVersion, ...(timeoutSeconds !== undefined && { timeoutSeconds }), ...(maxEventBytes !== undefined && { maxEventBytes }) };
  }

  private async afterExpiry(relistBackoff: RelistBackoff, error: unknown, watchStartedAt: number | undefined, signal: AbortSignal): Promise<void> {
    const verdict = relistBackoff.expired(watchStartedAt === undefined ? undefined : Date.now() - watchStartedAt);
    if (verdict.report) this.handlers.emit("error", new RelistLoopError(this.options.plural, verdict.inARow, { cause: error, nextDelayMs: verdict.delayMs }));
    await waitUnlessAborted(verdict.delayMs, signal);
  }

  /** Replaces the store with a fresh list and fires what changed; answers the list's resourceVersion. */
  async relist(): Promise<string> {
    const items: T[] = [];
    let listVersion: string | undefined;
    const { scope, pageSize } = this.options;
    const pages = paginatePages((token) => this.source.list({ ...scope, limit: pageSize, ...(token !== undefined && { continue: token }) }));
    for await (const page of pages) {
      listVersion ??= page.metadata?.resourceVersion;
      for (const item of page.items ?? []) items.push(this.withTypeMeta(item));
    }
    if (!listVersion) throw new Error(`list of ${this.options.plural}: the answer has no metadata.resourceVersion to watch from`);
    this.listCount++;
    items.forEach((item) => this.remember(item));
    this.resourceVersion = listVersion;
    const diff = this.store.replace(items);
    for (const object of diff.deleted) this.handlers.emit("delete", object);
    for (const object of diff.added) this.handlers.emit("add", object);
    for (const { object, old } of diff.updated) this.handlers.emit("update", object, old);
    return listVersion;
  }

  /** One watch event into the store and the handlers. */
  apply(event: WatchEvent<T>): void {
    if (event.type === "ERROR") return; // the resuming watch throws these instead
    if (event.type === "BOOKMARK") {
      const version = event.object?.metadata?.resourceVersion;
      if (version) this.resourceVersion = version;
      return;
    }
    const object = this.withTypeMeta(event.object);
    this.remember(object);
    if (event.type === "DELETED") {
      if (this.store.remove(object) !== undefined) this.handlers.emit("delete", object);
      return;
    }
    const { old, stored } = this.store.upsert(object);
    if (!stored) return;
    if (old === undefined) this.handlers.emit("add", object);
    else this.handlers.emit("update", object, old);
  }

  private withTypeMeta(object: T): T {
    const typed = object.apiVersion && object.kind ? object : { ...object, apiVersion: this.options.apiVersion, kind: this.options.kind };
    this.#shared.share(typed);
    return this.options.transform ? this.options.transform(typed) : typed;
  }

  private remember(object: T): void {
    const version = object.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
    if (!this.options.scope.allNamespaces && this.learnedNamespace === undefined) this.learnedNamespace = object.metadata?.namespace;
  }
}
