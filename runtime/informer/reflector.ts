// Keeps an informer's store equal to the server's collection by applying the watcher loop's events (client-go: a reflector).
import type { ResourceList } from "../api/objects.js";
import type { ObjectMetaLike } from "../api/objects.js";
import type { WatchBackoff } from "../watch/backoff.js";
import type { WatchEvent } from "../watch/decode.js";
import { watcher, type WatchConnection, type WatcherApi, type WatcherEvent } from "../watch/watcher.js";
import type { HandlerRegistry } from "./handlers.js";
import { SharedStrings } from "./shared-strings.js";
import type { ObjectStore } from "./store.js";

/** An object as the informer needs it: type meta to fill in, metadata to key and version it. */
export type Stored = { apiVersion?: string; kind?: string; metadata?: ObjectMetaLike };

/** Scope and selectors an informer hands to `list` and `watch`. */
export interface CollectionQuery {
  namespace?: string | undefined;
  allNamespaces?: boolean | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What one watch connection of a reflector asks for: a single request (`resume: false`), the watcher reconnects. */
export type ReflectorWatchOptions = CollectionQuery &
  Partial<WatchConnection> & { resume?: false; allowWatchBookmarks?: boolean; timeoutSeconds?: number | undefined; maxEventBytes?: number | undefined };

/** The two verbs a reflector calls (an `InformerSource` without its descriptor). */
export interface ListWatch<T> {
  list(options?: CollectionQuery & { limit?: number; continue?: string }): Promise<ResourceList<T>>;
  watch(options?: ReflectorWatchOptions): AsyncIterable<WatchEvent<T>>;
}

export interface ReflectorOptions<T> {
  /** What the collection is, for messages and for objects that arrive without type meta. */
  plural: string;
  apiVersion: string;
  kind: string;
  scope: CollectionQuery;
  pageSize: number;
  /** Load the collection by a streaming list where the server serves one (else in pages). */
  streamingLists: boolean;
  timeoutSeconds?: number | undefined;
  maxEventBytes?: number | undefined;
  backoff?: WatchBackoff | undefined;
  /** Applied to each object before it is stored (the informer's `transform`). */
  transform?: ((object: T) => T) | undefined;
}

/**
 * Applies the watcher loop's events to the store and the handlers: a (re)list replaces the store and fires
 * deletes for objects that vanished and adds/updates for the ones that appeared or changed meanwhile; watch
 * events change one object each. Reconnects, relists and their backoff are the loop's (`watch/watcher.ts`).
 */
export class Reflector<T extends Stored> {
  /** The newest resourceVersion seen (list or event). */
  resourceVersion: string | undefined;
  listCount = 0;
  /** The namespace of the first object seen, so `get(name)` works without one on a single-namespace informer. */
  learnedNamespace: string | undefined;
  readonly #shared = new SharedStrings();
  /** The objects of the (re)list under way. */
  #listing: T[] = [];

  constructor(
    private readonly source: ListWatch<T>,
    private readonly store: ObjectStore<T>,
    private readonly handlers: HandlerRegistry<T>,
    private readonly options: ReflectorOptions<T>,
  ) {}

  /** Lists, then watches, until `signal` aborts; `synced` is called after each completed list. */
  async run(signal: AbortSignal, synced: () => void): Promise<void> {
    const { streamingLists, pageSize, backoff, plural } = this.options;
    const onRetry = (error: unknown) => this.handlers.emit("error", error);
    for await (const event of watcher(this.#api(), { initial: streamingLists ? "stream" : "pages", pageSize, signal, backoff, plural, onRetry })) {
      this.apply(event, synced);
    }
  }

  /** The source's verbs as the watcher calls them: scoped, one watch request per connection. */
  #api(): WatcherApi<T> {
    const { scope, timeoutSeconds, maxEventBytes, plural } = this.options;
    const watchSettings = { resume: false as const, allowWatchBookmarks: true, timeoutSeconds, maxEventBytes };
    return {
      url: plural,
      list: (page, signal) => this.source.list({ ...scope, ...page, signal }),
      watch: (connection, signal) => this.source.watch({ ...scope, ...connection, ...watchSettings, signal }),
    };
  }

  /** One event of the loop into the store and the handlers. */
  apply(event: WatcherEvent<T>, synced: () => void): void {
    if (event.type === "INIT") this.#listing = [];
    else if (event.type === "INIT_APPLY") this.#listing.push(this.withTypeMeta(event.object));
    else if (event.type === "INIT_DONE") {
      this.#replace(this.#listing, event.resourceVersion);
      this.#listing = [];
      synced();
    } else this.#applyWatchEvent(event);
  }

  /** Replaces the store with a fresh list and fires what changed. */
  #replace(items: T[], listVersion: string): void {
    this.listCount++;
    items.forEach((item) => this.remember(item));
    this.resourceVersion = listVersion;
    const diff = this.store.replace(items);
    for (const object of diff.deleted) this.handlers.emit("delete", object);
    for (const object of diff.added) this.handlers.emit("add", object);
    for (const { object, old } of diff.updated) this.handlers.emit("update", object, old);
  }

  /** One watch event into the store and the handlers. */
  #applyWatchEvent(event: WatcherEvent<T> & { object: T }): void {
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
