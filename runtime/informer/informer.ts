import type { ResourceDescriptor } from "../client/descriptor.js";
import type { ObjectMetaLike, ResourceList } from "../client/types.js";
import { isGone } from "../errors.js";
import { RequestValidationError } from "../request/index.js";
import { BackoffSchedule, waitUnlessAborted, type WatchBackoff } from "../watch/backoff.js";
import type { WatchEvent } from "../watch/decode.js";
import { paginatePages } from "../watch/paginate.js";
import { isRetryable } from "../watch/resume.js";
import { objectKey, ObjectStore } from "./store.js";
import { apiVersionOf } from "../request/group-version.js";

/** Scope and selectors an informer hands to `list` and `watch`. */
interface CollectionQuery {
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  signal?: AbortSignal;
}

/**
 * What an informer needs from a resource client: `list` and `watch` (resuming). Any `kube.resource(d)` whose
 * descriptor has both verbs fits; method syntax keeps it assignable from each descriptor's own option types.
 */
export interface InformerSource<T> {
  readonly descriptor: ResourceDescriptor;
  list(options?: CollectionQuery & { limit?: number; continue?: string }): Promise<ResourceList<T>>;
  watch(options?: CollectionQuery & { resourceVersion?: string; timeoutSeconds?: number }): AsyncIterable<WatchEvent<T>>;
}

/** What an informer lists and watches (scope, selectors), its page size, resync period and backoff. */
export interface InformerOptions {
  /** Namespace to watch (default: the client's); namespaced resources only. */
  namespace?: string;
  /** Watch every namespace; `get()` then needs a namespace. */
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** Every `resyncMs`, call the update handlers with each stored object as both new and old (as client-go does); off by default. */
  resyncMs?: number;
  /** Page size of the (re)list; default 500. */
  pageSize?: number;
  /** Lifetime of one watch connection; the watch resumes after it. Default: the server's (30–60 min). */
  timeoutSeconds?: number;
  /** Delays between failed lists (network, 429, 5xx); default 100 ms doubling to 5 s. */
  backoff?: WatchBackoff;
}

type Handlers<T> = {
  add: (object: T) => void;
  update: (object: T, old: T) => void;
  delete: (object: T) => void;
  /** Failures the informer retries (network, 5xx), handler exceptions, and the one that stopped it. */
  error: (error: unknown) => void;
};

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
  on<E extends keyof Handlers<T>>(event: E, handler: Handlers<T>[E]): () => void;
  /** Stops watching and resyncing; resolves when no request or timer of the informer is left. */
  stop(): Promise<void>;
}

type Stored = { apiVersion?: string; kind?: string; metadata?: ObjectMetaLike };

/**
 * Lists the collection (page by page), then watches from the list's resourceVersion, keeping an in-memory
 * store keyed by namespace/name and calling add/update/delete handlers. A dropped watch resumes without a
 * relist; an expired version (410) relists, replaces the store and fires deletes for objects that vanished
 * and adds/updates for the ones that appeared or changed meanwhile. It starts at once.
 *
 * ```ts
 * const informer = createInformer(kube.resource(configmaps), { labelSelector: "app=web" });
 * informer.on("update", (cm, old) => reconcile(cm));
 * await informer.synced;
 * ```
 */
export function createInformer<T extends Stored>(source: InformerSource<T>, options: InformerOptions = {}): Informer<T> {
  const { descriptor } = source;
  if (typeof source.list !== "function" || typeof source.watch !== "function") {
    throw new RequestValidationError("informer source", `${descriptor?.plural ?? "the resource"} needs the list and watch verbs for an informer; its descriptor lists ${JSON.stringify(descriptor?.verbs)}`);
  }
  const apiVersion = apiVersionOf(descriptor.group, descriptor.version);
  const pageSize = options.pageSize ?? 500;
  if (options.resyncMs !== undefined && !(options.resyncMs > 0)) throw new RequestValidationError("resyncMs", `${options.resyncMs} is not a positive number of milliseconds`);
  const store = new ObjectStore<T>();
  const handlers: { [E in keyof Handlers<T>]: Set<Handlers<T>[E]> } = { add: new Set(), update: new Set(), delete: new Set(), error: new Set() };
  const controller = new AbortController();
  const signal = controller.signal;
  const scope: CollectionQuery = {
    ...(options.namespace !== undefined && { namespace: options.namespace }),
    ...(options.allNamespaces && { allNamespaces: true }),
    ...(options.labelSelector !== undefined && { labelSelector: options.labelSelector }),
    ...(options.fieldSelector !== undefined && { fieldSelector: options.fieldSelector }),
    signal,
  };
  let hasSynced = false;
  let resourceVersion: string | undefined;
  let listCount = 0;
  let learnedNamespace: string | undefined;
  let resyncTimer: NodeJS.Timeout | undefined;
  let resolveSynced!: () => void;
  let rejectSynced!: (error: unknown) => void;
  const synced = new Promise<void>((resolve, reject) => {
    resolveSynced = resolve;
    rejectSynced = reject;
  });
  synced.catch(() => {}); // callers who never await `synced` must not see an unhandled rejection

  const emit = <E extends keyof Handlers<T>>(event: E, ...args: Parameters<Handlers<T>[E]>) => {
    for (const handler of handlers[event]) {
      try {
        (handler as (...a: unknown[]) => void)(...args);
      } catch (error) {
        if (event === "error") continue; // an error handler that throws has nobody left to tell
        emit("error", error);
      }
    }
  };
  const withTypeMeta = (object: T): T => (object.apiVersion && object.kind ? object : { ...object, apiVersion, kind: descriptor.kind });
  const remember = (object: T) => {
    const version = object.metadata?.resourceVersion;
    if (version) resourceVersion = version;
    if (!options.allNamespaces && learnedNamespace === undefined) learnedNamespace = object.metadata?.namespace;
  };

  async function relist(): Promise<string> {
    const items: T[] = [];
    let listVersion: string | undefined;
    const pages = paginatePages((token) => source.list({ ...scope, limit: pageSize, ...(token !== undefined && { continue: token }) }));
    for await (const page of pages) {
      listVersion ??= page.metadata?.resourceVersion;
      for (const item of page.items ?? []) items.push(withTypeMeta(item));
    }
    if (!listVersion) throw new Error(`list of ${descriptor.plural}: the answer has no metadata.resourceVersion to watch from`);
    listCount++;
    items.forEach(remember);
    resourceVersion = listVersion;
    const diff = store.replace(items);
    for (const object of diff.deleted) emit("delete", object);
    for (const object of diff.added) emit("add", object);
    for (const { object, old } of diff.updated) emit("update", object, old);
    return listVersion;
  }

  function apply(event: WatchEvent<T>): void {
    if (event.type === "ERROR") return; // the resuming watch throws these instead
    if (event.type === "BOOKMARK") {
      const version = event.object?.metadata?.resourceVersion;
      if (version) resourceVersion = version;
      return;
    }
    const object = withTypeMeta(event.object);
    remember(object);
    if (event.type === "DELETED") {
      if (store.remove(object) !== undefined) emit("delete", object);
      return;
    }
    const { old, stored } = store.upsert(object);
    if (!stored) return;
    if (old === undefined) emit("add", object);
    else emit("update", object, old);
  }

  function startResync(): void {
    if (options.resyncMs === undefined || resyncTimer !== undefined) return;
    resyncTimer = setInterval(() => {
      for (const object of store.values()) emit("update", object, object);
    }, options.resyncMs);
  }

  async function run(): Promise<void> {
    const backoff = new BackoffSchedule(options.backoff);
    try {
      while (!signal.aborted) {
        try {
          const listVersion = await relist();
          backoff.reset();
          if (!hasSynced) {
            hasSynced = true;
            resolveSynced();
            startResync();
          }
          const watchOptions = { ...scope, resourceVersion: listVersion, ...(options.timeoutSeconds !== undefined && { timeoutSeconds: options.timeoutSeconds }) };
          for await (const event of source.watch(watchOptions)) apply(event);
        } catch (error) {
          if (signal.aborted) return;
          if (isGone(error)) continue; // the version (or a continue token) expired: relist at once
          if (!isRetryable(error)) throw error;
          emit("error", error);
          await waitUnlessAborted(backoff.nextDelayMs(), signal);
        }
      }
    } catch (error) {
      rejectSynced(error);
      emit("error", error);
      throw error;
    } finally {
      if (resyncTimer !== undefined) clearInterval(resyncTimer);
      if (!hasSynced) rejectSynced(new Error(`informer for ${descriptor.plural} stopped before its first list completed`));
    }
  }

  const done = run();
  done.catch(() => {});

  return {
    synced,
    done,
    get hasSynced() {
      return hasSynced;
    },
    get resourceVersion() {
      return resourceVersion;
    },
    get listCount() {
      return listCount;
    },
    get(name, namespace) {
      if (namespace !== undefined) return store.get(objectKey(namespace, name));
      if (!descriptor.namespaced) return store.get(name);
      if (options.allNamespaces) throw new RequestValidationError("namespace", `this informer watches ${descriptor.plural} in all namespaces; pass the namespace to get()`);
      const known = options.namespace ?? learnedNamespace;
      return known === undefined ? undefined : store.get(objectKey(known, name));
    },
    list: () => store.values(),
    on(event, handler) {
      const set = handlers[event] as Set<typeof handler>;
      set.add(handler);
      return () => void set.delete(handler);
    },
    async stop() {
      controller.abort();
      await done.catch(() => {});
    },
  };
}
