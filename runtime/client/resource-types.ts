// The types of a resource client: a mapped type over the descriptor's verbs, with each method's options.
import type { ObjectOf, ResourceDescriptor, SubresourceDescriptor, SubresourceTypesOf } from "../api/descriptor.js";
import type { DeleteOptions, PatchType, QueryOptions } from "../request/index.js";
import type { KubeObject, ResourceList, Status } from "../api/objects.js";
import type { WatchEvent } from "../watch/decode.js";
import type { StreamingMethods } from "./streaming-types.js";
import type { CollectionScopeOption, NamespaceOption, SignalOption } from "./scope-types.js";

export type { CollectionScopeOption, NamespaceOption, SignalOption };

/** The verbs a descriptor lists, as a union of literals. */
export type VerbsOf<R extends ResourceDescriptor> = R["verbs"][number];

/** The object type a descriptor carries; `KubeObject` for descriptors declared without one (dynamic use). */
export type ObjectTypeOf<R> = unknown extends ObjectOf<R> ? KubeObject : [ObjectOf<R>] extends [never] ? KubeObject : ObjectOf<R>;

/** Body type of subresource `K`: from `SubresourceTypesOf<R>` when listed there, else the object type. */
export type SubresourceBodyOf<R, K extends PropertyKey> =
  SubresourceTypesOf<R> extends infer S ? (K extends keyof S ? S[K] : ObjectTypeOf<R>) : ObjectTypeOf<R>;

/** Options of `get`: namespace, signal/timeout, and the server's `resourceVersion`/`pretty`. */
export type GetOptions<R> = NamespaceOption<R> & SignalOption & Pick<QueryOptions, "resourceVersion" | "pretty">;
/** Options of `list`: scope, selectors, paging (`limit`/`continue`) and version matching. */
export type ListOptions<R> = CollectionScopeOption<R> &
  SignalOption &
  Pick<QueryOptions, "labelSelector" | "fieldSelector" | "limit" | "continue" | "resourceVersion" | "resourceVersionMatch" | "timeoutSeconds" | "pretty">;
/** Same options as `list`; `limit` is the page size (default 500). */
export type ListAllOptions<R> = ListOptions<R>;
/**
 * Options of `watch`. `allowWatchBookmarks` defaults to true for the resuming watch; `timeoutSeconds` bounds
 * one connection (the resuming watch then reconnects), not the watch.
 */
export type WatchOptions<R> = CollectionScopeOption<R> &
  SignalOption &
  Pick<QueryOptions, "labelSelector" | "fieldSelector" | "resourceVersion" | "resourceVersionMatch" | "timeoutSeconds" | "allowWatchBookmarks" | "sendInitialEvents"> & {
    /**
     * `true` (default): reconnect after drops and server-side ends from the last seen resourceVersion.
     * `false`: one request, one stream, exactly as the server sends it (the iterator ends when it ends).
     */
    resume?: boolean;
  };
/** Options of `create`/`update`: namespace, `dryRun`, `fieldManager`, `fieldValidation`. */
export type WriteOptions<R> = NamespaceOption<R> & SignalOption & Pick<QueryOptions, "dryRun" | "fieldManager" | "fieldValidation" | "pretty">;
/** Options of `patch`: those of writes plus `force` (apply patches only). */
export type PatchOptions<R> = WriteOptions<R> & { force?: boolean };
/** Options of server-side `apply`; `fieldManager` is required. */
export type ApplyOptions<R> = NamespaceOption<R> &
  SignalOption &
  Pick<QueryOptions, "dryRun" | "fieldValidation"> & {
    /** Who owns the applied fields (required by server-side apply). */
    fieldManager: string;
    /** Take ownership of fields another manager owns instead of failing with 409 Conflict. */
    force?: boolean;
  };
/** Options of `delete`: propagation policy, grace period, preconditions, dry run. */
export type DeleteResourceOptions<R> = NamespaceOption<R> & SignalOption & DeleteOptions;
/** Options of `deletecollection`: those of `delete` plus selectors choosing what goes. */
export type DeleteCollectionOptions<R> = NamespaceOption<R> &
  SignalOption &
  DeleteOptions &
  Pick<QueryOptions, "labelSelector" | "fieldSelector" | "limit" | "continue" | "resourceVersion" | "timeoutSeconds">;

/** One RFC 6902 operation of a `json` patch. */
export type JsonPatchOperation =
  | { op: "add" | "replace" | "test"; path: string; value: unknown }
  | { op: "remove"; path: string }
  | { op: "move" | "copy"; from: string; path: string };

/** A merge or strategic-merge patch: any subset of the object; `null` removes a field. */
export type MergePatch<T> = T extends readonly (infer U)[]
  ? readonly MergePatch<U>[]
  : T extends object
    ? { [K in keyof T]?: MergePatch<T[K]> | null }
    : T;

/** Patch body by type: operations for `json`, a partial object (or raw string) for the others. */
export interface PatchMethod<T, R> {
  (name: string, patch: readonly JsonPatchOperation[] | string, options: PatchOptions<R> & { type: "json" }): Promise<T>;
  (name: string, patch: MergePatch<T> | string, options?: PatchOptions<R> & { type?: Exclude<PatchType, "json"> }): Promise<T>;
}

/** Methods of every verb on the main resource; a client picks those its descriptor lists. */
export interface ResourceVerbMethods<T, R> {
  get(name: string, options?: GetOptions<R>): Promise<T>;
  list(options?: ListOptions<R>): Promise<ResourceList<T>>;
  /**
   * Watches the collection: `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` events (ERROR events become errors).
   * By default the watch resumes: a dropped connection or a server-side end reconnects from the last
   * resourceVersion seen (bookmarks on), with bounded backoff, so no event is lost or repeated. Without a
   * `resourceVersion` it starts at the collection's current one (found with a `limit=1` list): changes
   * from now on, not the existing objects — use `listAll` or `createInformer` for those.
   * An expired version throws `GoneError` (`isGone`): list again. Abort `signal` or `break` to stop.
   * `{ resume: false }` sends one plain watch request instead (an unset resourceVersion then yields
   * synthetic `ADDED` events for existing objects; ERROR events are yielded, and the iterator ends with the stream).
   */
  watch(options?: WatchOptions<R>): AsyncIterable<WatchEvent<T>>;
  /** Creates `body`; `apiVersion`/`kind` are filled from the descriptor when absent. */
  create(body: T, options?: WriteOptions<R>): Promise<T>;
  /** Replaces the object named by `body.metadata.name` (namespace: body, then options, then the client's). */
  update(body: T, options?: WriteOptions<R>): Promise<T>;
  patch: PatchMethod<T, R>;
  /** Answers the object (still terminating, with finalizers) or a `Status`. */
  delete(name: string, options?: DeleteResourceOptions<R>): Promise<T | Status>;
  deletecollection(options?: DeleteCollectionOptions<R>): Promise<ResourceList<T> | Status>;
}

/** Extra methods derived from verbs: `apply` needs `patch`, `listAll` needs `list`. */
export interface ApplyMethod<T, R> {
  /** Server-side apply of `body` (name from `body.metadata.name`); `fieldManager` is required. */
  apply(body: MergePatch<T>, options: ApplyOptions<R>): Promise<T>;
}
/** `listAll`, present when the descriptor lists `list`. */
export interface ListAllMethod<T, R> {
  /**
   * Every item across pages (`limit` per page, default 500), following `continue` tokens; one page in
   * memory at a time. An expired token fails with `ExpiredContinueError` (a `GoneError`).
   */
  listAll(options?: ListAllOptions<R>): AsyncIterable<T>;
  /** The pages themselves (with their `metadata.resourceVersion`), each fetched only when asked for. */
  listPages(options?: ListAllOptions<R>): AsyncIterable<ResourceList<T>>;
}

/** Methods of a subresource (`status`, `scale`, `eviction`, `token`); a client picks its listed verbs. */
export interface SubresourceVerbMethods<T, R> {
  get(name: string, options?: GetOptions<R>): Promise<T>;
  /** Creates on the parent object `name`, e.g. an Eviction of pod `name` or a TokenRequest for service account `name`. */
  create(name: string, body: T, options?: WriteOptions<R>): Promise<T>;
  /** Replaces the subresource of the object named by `body.metadata.name`. */
  update(body: T, options?: WriteOptions<R>): Promise<T>;
  patch: PatchMethod<T, R>;
}

/** Subresource verbs the client implements (others, like `pods/exec` streaming, need dedicated code). */
export type SubresourceVerb = keyof SubresourceVerbMethods<unknown, unknown>;

type SubresourceClient<T, R, V> = Pick<SubresourceVerbMethods<T, R>, Extract<V, SubresourceVerb>>;

/**
 * Subresources that speak streaming protocols (SPDY/WebSocket upgrades, proxied HTTP, plain-text logs) rather
 * than JSON objects; the JSON client leaves them out. `log`, `exec`, `attach` and `portforward` get methods of their
 * own (`StreamingMethods`, runtime/stream); reach `proxy` with `kube.requestStream`/`requestText`.
 */
export type StreamingSubresource = "exec" | "attach" | "portforward" | "proxy" | "log";

type SubresourceClients<R extends ResourceDescriptor> = R["subresources"] extends infer S
  ? S extends { readonly [name: string]: SubresourceDescriptor }
    ? { readonly [K in Exclude<keyof S & string, StreamingSubresource>]: SubresourceClient<SubresourceBodyOf<R, K>, R, S[K]["verbs"][number]> }
    : {}
  : {};

/**
 * The client for one descriptor: exactly its verbs as methods (calling another is a compile error), `apply`
 * when it can `patch`, `listAll` when it can `list`, and one property per subresource with that one's verbs.
 */
export type ResourceClient<R extends ResourceDescriptor> = Pick<ResourceVerbMethods<ObjectTypeOf<R>, R>, VerbsOf<R>> &
  ("patch" extends VerbsOf<R> ? ApplyMethod<ObjectTypeOf<R>, R> : {}) &
  ("list" extends VerbsOf<R> ? ListAllMethod<ObjectTypeOf<R>, R> : {}) &
  SubresourceClients<R> &
  StreamingMethods<R> & {
    /** The descriptor this client was made from. */
    readonly descriptor: R;
  };
