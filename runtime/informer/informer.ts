// A local, always-current copy of one collection with change handlers: what controllers read instead of the API server.
import type { ResourceDescriptor } from "../api/descriptor.js";
import type { ResourceList } from "../api/objects.js";
import type { CollectionScopeOption } from "../api/scope.js";
import type { ClientNeeding } from "../api/verb-needs.js";
import type { SelectorOptions } from "../selectors.js";
import type { WatchEvent } from "../watch/decode.js";
import { apiVersionOf } from "../core/group-version.js";
import { checkOptionalByteCount, checkOptionalDuration, RequestValidationError } from "../request/validation.js";
import { clearLongTimeout, setLongTimeout, type LongTimer } from "../timers.js";
import type { WatchBackoff } from "../watch/backoff.js";
import { passesStreamingLists } from "../watch/watcher.js";
import { HandlerRegistry, type InformerHandlers } from "./handlers.js";
import { Reflector, type CollectionQuery, type ListWatch, type Stored } from "./reflector.js";
import { ObjectStore } from "./store.js";

export type { InformerHandlers };

/** What `list` and `watch` of an informer's source receive: the informer's scope and selectors, paging and version. */
export type InformerListOptions<N extends boolean> = CollectionScopeOption<{ readonly namespaced: N }> &
  SelectorOptions & { signal?: AbortSignal | undefined; limit?: number | undefined; continue?: string | undefined };
/**
 * What `watch` of an informer's source receives: one watch request each (`resume: false`, the informer reconnects),
 * with bookmarks; a streaming list adds `sendInitialEvents` and `resourceVersionMatch`.
 */
export type InformerWatchOptions<N extends boolean> = CollectionScopeOption<{ readonly namespaced: N }> &
  SelectorOptions & {
    signal?: AbortSignal | undefined;
    resourceVersion?: string | undefined;
    timeoutSeconds?: number | undefined;
    maxEventBytes?: number | undefined;
    resume?: boolean | undefined;
    allowWatchBookmarks?: boolean | undefined;
    sendInitialEvents?: boolean | undefined;
    resourceVersionMatch?: "NotOlderThan" | "Exact" | undefined;
  };

/**
 * What an informer needs from a resource client: `list` and `watch` (resuming), and the descriptor (`N`: its
 * `namespaced`). Any `kube.resource(d)` whose descriptor has both verbs fits; method syntax keeps it assignable
 * from each client's own option types.
 */
export interface InformerSource<T, N extends boolean = boolean> {
  readonly descriptor: ResourceDescriptor & { readonly namespaced: N };
  list(options?: InformerListOptions<N>): Promise<ResourceList<T>>;
  watch(options?: InformerWatchOptions<N>): AsyncIterable<WatchEvent<T>>;
}

/** How an informer runs: page size, resync period, watch lifetime, backoff and transform (`T`: the stored object). */
export interface InformerSettings<T = any> {
  /** Every `resyncMs`, call the update handlers with each stored object as both new and old (as client-go does); off by default. */
  resyncMs?: number | undefined;
  /** Page size of a paged (re)list; default 500. */
  pageSize?: number | undefined;
  /**
   * Load the collection (at the start and after an expired version) by a streaming list (`sendInitialEvents`; on
   * by default in kube-apiserver 1.37) where the source is a kubetyped client and the server serves one; a server
   * that refuses or ignores it gets paged lists from then on. `false`: always paged lists. Default true.
   */
  streamingLists?: boolean | undefined;
  /** Lifetime of one watch connection; the watch resumes after it. Default: the server's (30–60 min). */
  timeoutSeconds?: number | undefined;
  /** The largest watch event accepted, in bytes; a larger one stops the informer with `WatchEventTooLargeError`. Default 32 MiB. */
  maxEventBytes?: number | undefined;
  /** Delays between failed lists (network, 429, 5xx), and between relists when watches expire (410) again and again; default 100 ms doubling to 5 s. */
  backoff?: WatchBackoff | undefined;
  /**
   * Applied to every object (listed or watched) before it is stored and handed to handlers, to keep less in
   * memory: `dropManagedFields`, or your own. It gets the informer's own freshly decoded copy (mutating it is
   * fine) and must keep name, namespace and resourceVersion. A transform that throws stops the informer.
   */
  transform?: ((object: T) => T) | undefined;
}

/**
 * What an informer lists and watches (scope, selectors) and how it runs (`InformerSettings`). `R` is the
 * source's descriptor: a cluster-scoped one refuses `namespace`/`allNamespaces` (the message says so), and a
 * namespaced one takes one namespace (default: the client's) or `allNamespaces: true` (`get()` then needs a namespace).
 */
export type InformerOptions<R = ResourceDescriptor, T = any> = CollectionScopeOption<R> & SelectorOptions & InformerSettings<T>;

/** A local, always-current copy of one collection: what controllers read instead of the API server. */
export interface Informer<T> {
  /** Resolves once the first list is in the store (its adds delivered); rejects if the informer fails or stops first. */
  readonly synced: Promise<void>;
  readonly hasSynced: boolean;
  /** Resolves when `stop()` has finished; rejects with the error that stopped the informer (401, 403, 404, ...). */
  readonly done: Promise<void>;
  /** The newest resourceVersion the informer has seen (list or event). */
  readonly resourceVersion: string | undefined;
  /** How many full lists ran: 1 after the start, one more per expired (410) watch or continue token. */
  readonly listCount: number;
  /** The stored object; `namespace` defaults to the informer's single namespace (required when it watches all). */
  get(name: string, namespace?: string): T | undefined;
  /** Every stored object (a new array; the objects are the informer's, treat them as read-only). */
  list(): T[];
  /** Registers a handler; answers a function that removes it. Register right after creating the informer to see the initial adds. */
  on<E extends keyof InformerHandlers<T>>(event: E, handler: InformerHandlers<T>[E]): () => void;
  /** Stops watching and resyncing; resolves when no request or timer of the informer is left. */
  stop(): Promise<void>;
}

/**
 * Lists the collection (a streaming list where the server serves one, else page by page), then watches from the
 * list's resourceVersion, keeping an in-memory store keyed by namespace/name and calling add/update/delete handlers. A dropped watch resumes without a
 * relist; an expired version (410) relists, replaces the store and fires deletes for objects that vanished
 * and adds/updates for the ones that appeared or changed meanwhile. It starts at once.
 *
 * ```ts
 * const informer = createInformer(kube.resource(configmaps), { labelSelector: "app=web" });
 * informer.on("update", (cm, old) => reconcile(cm));
 * await informer.synced;
 * ```
 */
export function createInformer<S extends object>(
  source: InformerSourceOf<S>,
  options?: InformerOptions<InformerScope<S>, InformedObject<S>>,
): Informer<InformedObject<S>> {
  type T = InformedObject<S> & Stored;
  return informerFrom(source as unknown as InformerSource<T>, options as InformerOptions<ResourceDescriptor, T>) as Informer<InformedObject<S>>;
}

/** `createInformer` over a source typed already (the controller's, checked where its caller gave it). */
export function informerFrom<T extends Stored>(source: InformerSource<T>, options?: InformerOptions<ResourceDescriptor, T>): Informer<T> {
  return startInformer(source as unknown as ListWatch<T> & { readonly descriptor: ResourceDescriptor }, options ?? {});
}

/**
 * The source `createInformer<S>` takes: a client (`S` inferred from it), which meets a message naming the verbs it
 * lacks unless it serves list and watch; or, with the object type given (`createInformer<Pod>(...)`), a source of it.
 */
export type InformerSourceOf<S> = "descriptor" extends keyof S ? ClientNeeding<S, InformerSource<Stored>, "createInformer", ["list", "watch"]> : InformerSource<NoInfer<S>>;

/** The objects an informer source lists and watches (`WithName<ConfigMap>` for `kube.resource(configMaps)`). */
export type InformerObject<S> = S extends InformerSource<infer T extends Stored> ? T : never;
/** What `createInformer<S>` holds: the source's objects, or `S` itself when it is the object type. */
type InformedObject<S> = "descriptor" extends keyof S ? InformerObject<S> : S;
/** The scope marker of an informer source's descriptor: what `namespace` and `allNamespaces` it takes. */
export type InformerScope<S> = S extends { readonly descriptor: { readonly namespaced: infer N extends boolean } } ? { readonly namespaced: N } : { readonly namespaced: boolean };

function startInformer<T extends Stored>(source: ListWatch<T> & { readonly descriptor: ResourceDescriptor }, options: InformerOptions<ResourceDescriptor, T>): Informer<T> {
  const { descriptor } = source;
  if (typeof source.list !== "function" || typeof source.watch !== "function") {
    throw new RequestValidationError("informer source", `${descriptor?.plural ?? "the resource"} needs the list and watch verbs for an informer; its descriptor lists ${JSON.stringify(descriptor?.verbs)}`);
  }
  checkOptionalDuration("resyncMs", options.resyncMs, "positive");
  checkOptionalByteCount("maxEventBytes", options.maxEventBytes);
  const store = new ObjectStore<T>();
  const handlers = new HandlerRegistry<T>();
  const controller = new AbortController();
  const reflector = new Reflector(source, store, handlers, {
    plural: descriptor.plural,
    apiVersion: apiVersionOf(descriptor.group, descriptor.version),
    kind: descriptor.kind,
    scope: scopeOf(options, controller.signal),
    pageSize: options.pageSize ?? 500,
    streamingLists: options.streamingLists !== false && passesStreamingLists(source.watch),
    timeoutSeconds: options.timeoutSeconds,
    maxEventBytes: options.maxEventBytes,
    backoff: options.backoff,
    transform: options.transform,
  });
  const lifecycle = runInformer(reflector, store, handlers, controller.signal, options.resyncMs, descriptor.plural);
  return {
    synced: lifecycle.synced,
    done: lifecycle.done,
    get hasSynced() {
      return lifecycle.hasSynced();
    },
    get resourceVersion() {
      return reflector.resourceVersion;
    },
    get listCount() {
      return reflector.listCount;
    },
    get(name, namespace) {
      if (namespace !== undefined) return store.get(namespace, name);
      if (!descriptor.namespaced) return store.get(undefined, name);
      if (options.allNamespaces) throw new RequestValidationError("namespace", `this informer watches ${descriptor.plural} in all namespaces; pass the namespace to get()`);
      const known = options.namespace ?? reflector.learnedNamespace;
      return known === undefined ? undefined : store.get(known, name);
    },
    list: () => store.values(),
    on: (event, handler) => handlers.on(event, handler),
    async stop() {
      controller.abort();
      await lifecycle.done.catch(() => {});
    },
  };
}

function scopeOf(options: InformerOptions, signal: AbortSignal): CollectionQuery {
  // Selectors are strings by type: an object is a compile error that names labels() / fields().
  return {
    namespace: options.namespace,
    allNamespaces: options.allNamespaces ? true : undefined,
    labelSelector: options.labelSelector as string | undefined,
    fieldSelector: options.fieldSelector as string | undefined,
    signal,
  };
}

/**
 * Runs the reflector until `signal` aborts: `synced` resolves after the first list (and starts the resync
 * timer), `done` settles when the loop ends, with the error that stopped it.
 */
function runInformer<T extends Stored>(reflector: Reflector<T>, store: ObjectStore<T>, handlers: HandlerRegistry<T>, signal: AbortSignal, resyncMs: number | undefined, plural: string) {
  let hasSynced = false;
  let resyncTimer: LongTimer | undefined;
  const synced = deferred();
  synced.promise.catch(() => {}); // callers who never await `synced` must not see an unhandled rejection
  const onSynced = () => {
    if (hasSynced) return;
    hasSynced = true;
    synced.resolve();
    if (resyncMs === undefined) return;
    const resync = () => {
      store.values().forEach((object) => handlers.emit("update", object, object));
      resyncTimer = setLongTimeout(resync, resyncMs);
    };
    resyncTimer = setLongTimeout(resync, resyncMs);
  };
  const done = (async () => {
    try {
      await reflector.run(signal, onSynced);
    } catch (error) {
      synced.reject(error);
      handlers.emit("error", error);
      throw error;
    } finally {
      clearLongTimeout(resyncTimer);
      if (!hasSynced) synced.reject(new Error(`informer for ${plural} stopped before its first list completed`));
    }
  })();
  done.catch(() => {});
  return { synced: synced.promise, done, hasSynced: () => hasSynced };
}

/** A promise with its settle functions (`Promise.withResolvers` needs Node 22). */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
