// The types of a resource client: exactly the descriptor's verbs as methods, shown as `ClientWith<verbs, object, scope, subresources>`.
import type { Validatable } from "../validate/attach.js";
import type { ObjectOf, ResourceDescriptor, SelectableFieldsOf, SubresourceDescriptor, SubresourceTypesOf, Verb } from "../api/descriptor.js";
import type { SelectableFields, SelectableFieldsIn } from "../api/scope.js";
import type { DeleteOptions, QueryOptions } from "../request/index.js";
import type { KubeObject, ResourceList, Status } from "../api/objects.js";
import type { WatchEvent, WatchObjectEvent } from "../watch/decode.js";
import type { StreamingMethods, StreamingSubresource } from "./streaming-types.js";
import type { AnyScope, CollectionScopeOption, NamespaceOption, ScopeOf, SignalOption } from "./scope-types.js";
import type { MergePatch, PatchBody } from "./patch-types.js";
import type { SelectorOptions } from "../selectors.js";

export type { JsonPatch, JsonPatchOperation, MergePatch, PatchBody } from "./patch-types.js";

/** The verbs a descriptor lists, as a union of literals. */
export type VerbsOf<R extends ResourceDescriptor> = R["verbs"][number];

/** The object type a descriptor carries; `KubeObject` for descriptors declared without one (dynamic use). */
export type ObjectTypeOf<R> = unknown extends ObjectOf<R> ? KubeObject : [ObjectOf<R>] extends [never] ? KubeObject : ObjectOf<R>;

/** Body type of subresource `K`: from `SubresourceTypesOf<R>` when listed there, else the object type. */
export type SubresourceBodyOf<R, K extends PropertyKey> =
  SubresourceTypesOf<R> extends infer S ? (K extends keyof S ? S[K] : ObjectTypeOf<R>) : ObjectTypeOf<R>;

/**
 * An object as the server answers it: `metadata.name` is always set, so what `get`, `list` or `watch` gave
 * goes straight back into `update` or `apply`. Also what `update` and `apply` require of a body.
 */
export type WithName<T> = T & { metadata: { name: string } };
/** What `create` requires of a body: `metadata.name`, or `metadata.generateName` for the server to complete. */
export type WithNameOrGenerateName<T> = T & { metadata: { name: string } | { generateName: string } };

/**
 * The body of a write that must name its object, `B` being the argument's own type. An object literal is checked
 * against `Named` (a missing `metadata.name` is a compile error on its line, with every other check of `T`); a value
 * declared as the object type itself (`const d: Deployment = ...`, or `Named`-typed) passes as it is, its name being
 * checked at run time. `B` is distributed so that `Pod | undefined` still refuses `undefined`.
 */
export type NamedBody<T, B, Named> = B extends unknown ? ([keyof B] extends [never] ? Named : T extends B ? B : Named) : never;

/** Options of `get`: namespace, signal/timeout, and the server's `resourceVersion`/`pretty`. `R`: a descriptor or scope marker. */
export type GetOptions<R> = NamespaceOption<R> & SignalOption & Pick<QueryOptions, "resourceVersion" | "pretty">;
/**
 * The scope marker of a client of descriptor `R`, with the selectable fields its CRD lists when the generator knew
 * them (`Namespaced & SelectableFields<"spec.color" | "spec.size">`); without, the plain marker (messages unchanged).
 */
export type ClientScopeOf<R> = string extends SelectableFieldsOf<R> ? ScopeOf<R> : ScopeOf<R> & SelectableFields<SelectableFieldsOf<R>>;

/** Options of `list`: scope, selectors (field paths: those `R` carries, else any), paging (`limit`/`continue`) and version matching. */
export type ListOptions<R> = CollectionScopeOption<R> &
  SignalOption &
  SelectorOptions<SelectableFieldsIn<R>> &
  Pick<QueryOptions, "limit" | "continue" | "resourceVersion" | "resourceVersionMatch" | "timeoutSeconds" | "pretty">;
/** Same options as `list`; `limit` is the page size (default 500). */
export type ListAllOptions<R> = ListOptions<R>;
/**
 * Options of `watch`. `allowWatchBookmarks` defaults to true for the resuming watch; `timeoutSeconds` bounds
 * one connection (the resuming watch then reconnects), not the watch.
 */
export type WatchOptions<R> = CollectionScopeOption<R> &
  SignalOption &
  SelectorOptions<SelectableFieldsIn<R>> &
  Pick<QueryOptions, "resourceVersion" | "resourceVersionMatch" | "timeoutSeconds" | "allowWatchBookmarks" | "sendInitialEvents"> & {
    /**
     * `true` (default): reconnect after drops and server-side ends from the last seen resourceVersion.
     * `false`: one request, one stream, exactly as the server sends it (the iterator ends when it ends).
     */
    resume?: boolean | undefined;
    /** The largest event accepted, in bytes; a larger one is a `WatchEventTooLargeError`. Default 32 MiB. */
    maxEventBytes?: number | undefined;
  };
/** What a watch yields: object events when it resumes (the default), the stream's every event (ERROR too) with `resume: false`. */
export type WatchEventOf<Resume extends boolean, T> = Resume extends false ? WatchEvent<T> : WatchObjectEvent<T>;
/** Options of `create`/`update`: namespace, `dryRun`, `fieldManager`, `fieldValidation`. */
export type WriteOptions<R> = NamespaceOption<R> & SignalOption & Pick<QueryOptions, "dryRun" | "fieldManager" | "fieldValidation" | "pretty">;
/**
 * `old`: the object as it is on the server (a `get`'s answer, an informer's copy). With `connect({ validate:
 * "before-send" })` an update is checked with it as the object before the change, a patch is applied to it locally
 * and the result checked, transition rules (`oldSelf`) included; without it, transition rules are not checked and a
 * patch (or a write of the status subresource) is sent unchecked. Never sent itself.
 */
export interface PatchCheckOption<T> {
  old?: T | undefined;
}
/** Options of `patch`: those of writes plus `force` (apply patches only). */
export type PatchOptions<R> = WriteOptions<R> & { force?: boolean | undefined };
type ApplyOptionParts<R> = NamespaceOption<R> &
  SignalOption &
  Pick<QueryOptions, "dryRun" | "fieldValidation"> & {
    /** Who owns the applied fields (required by server-side apply). */
    fieldManager: string;
    /** Take ownership of fields another manager owns instead of failing with 409 Conflict. */
    force?: boolean | undefined;
  };
/** Options of server-side `apply`; `fieldManager` is required. One object type, so messages show its name. */
export type ApplyOptions<R> = { [K in keyof ApplyOptionParts<R>]: ApplyOptionParts<R>[K] };
/** Options of `delete`: propagation policy, grace period, preconditions, dry run. */
export type DeleteResourceOptions<R> = NamespaceOption<R> & SignalOption & DeleteOptions;
/** Options of `deletecollection`: those of `delete` plus selectors choosing what goes. */
export type DeleteCollectionOptions<R> = NamespaceOption<R> &
  SignalOption &
  DeleteOptions &
  SelectorOptions<SelectableFieldsIn<R>> &
  Pick<QueryOptions, "limit" | "continue" | "resourceVersion" | "timeoutSeconds">;

/**
 * `patch(name, body, { type })`: `type` (default `"merge"`) decides the body: operations for `"json"`, a
 * partial object for the others, or a raw string for any.
 */
export interface PatchMethod<T, R> {
  // The patch types are spelled out (not `PatchType`) so that a wrong one is told the four it may be.
  <const P extends "merge" | "strategic" | "json" | "apply" = "merge">(name: string, patch: PatchBody<T, NoInfer<P>>, options?: PatchOptions<R> & PatchCheckOption<T> & { type?: P }): Promise<WithName<T>>;
}

/** Methods of every verb on the main resource; a client picks those its descriptor lists. `R`: a descriptor or scope marker. */
export interface ResourceVerbMethods<T, R> {
  get(name: string, options?: GetOptions<R>): Promise<WithName<T>>;
  list(options?: ListOptions<R>): Promise<ResourceList<WithName<T>>>;
  /**
   * Watches the collection: `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` events (ERROR events become errors).
   * By default the watch resumes: a dropped connection or a server-side end reconnects from the last
   * resourceVersion seen (bookmarks on), with bounded backoff, so no event is lost or repeated. Without a
   * `resourceVersion` it starts at the collection's current one (found with a `limit=1` list): changes
   * from now on, not the existing objects — use `listAll` or `createInformer` for those.
   * An expired version throws a `StatusError` (`isGone`): list again. Abort `signal` or `break` to stop.
   * `{ resume: false }` sends one plain watch request instead (an unset resourceVersion then yields
   * synthetic `ADDED` events for existing objects; ERROR events are yielded, and the iterator ends with the stream).
   * The event type says which: `WatchObjectEvent` (never `ERROR`) when resuming, `WatchEvent` with `resume: false`.
   */
  watch<const Resume extends boolean = true>(options?: WatchOptions<R> & { resume?: Resume }): AsyncIterable<WatchEventOf<Resume, WithName<T>>>;
  /**
   * Creates `body`, named by `metadata.name` (or `metadata.generateName`, which the server completes);
   * `apiVersion`/`kind` are filled from the descriptor when absent.
   */
  create<B>(body: NamedBody<T, B, WithNameOrGenerateName<T>>, options?: WriteOptions<R>): Promise<WithName<T>>;
  /** Replaces the object named by `body.metadata.name` (namespace: body, then options, then the client's). */
  update<B>(body: NamedBody<T, B, WithName<T>>, options?: WriteOptions<R> & PatchCheckOption<T>): Promise<WithName<T>>;
  patch: PatchMethod<T, R>;
  /** Answers the object (still terminating, with finalizers) or a `Status`: tell them apart with `isStatus`. */
  delete(name: string, options?: DeleteResourceOptions<R>): Promise<WithName<T> | Status>;
  /** Answers the deleted objects or a `Status`: tell them apart with `isStatus`. */
  deletecollection(options?: DeleteCollectionOptions<R>): Promise<ResourceList<WithName<T>> | Status>;
}

/**
 * `create` of a resource that cannot be read back (TokenReview, SubjectAccessReview): the server answers
 * with the evaluated object, which needs no name.
 */
export interface CreateOnlyMethod<T, R> {
  /** Sends `body` to be evaluated; `apiVersion`/`kind` are filled from the descriptor when absent. */
  create(body: T, options?: WriteOptions<R>): Promise<T>;
}

/** What `apply` without options says. */
export type ApplyNeedsFieldManager = "apply needs options: apply(body, { fieldManager })";

/** `apply`, present when the descriptor lists `patch`. */
export interface ApplyMethod<T, R> {
  /** Server-side apply of `body` (name from `body.metadata.name`); `fieldManager` is required. */
  apply<B>(body: NamedBody<T, B, WithName<MergePatch<T>>>, options: ApplyOptions<R> & PatchCheckOption<T> & { fieldManager: string }): Promise<WithName<T>>;
  /** Without options: a compile error naming the fix (this overload alone has one parameter, so its message is the one shown). */
  apply(body: ApplyNeedsFieldManager): never;
}
/** `listAll` and `listPages`, present when the descriptor lists `list`. */
export interface ListAllMethod<T, R> {
  /**
   * Every item across pages (`limit` per page, default 500), following `continue` tokens; one page in
   * memory at a time. An expired token fails with `ExpiredContinueError` (`isGone` holds).
   */
  listAll(options?: ListAllOptions<R>): AsyncIterable<WithName<T>>;
  /** The pages themselves (with their `metadata.resourceVersion`), each fetched only when asked for. */
  listPages(options?: ListAllOptions<R>): AsyncIterable<ResourceList<WithName<T>>>;
}

/**
 * Methods of a subresource (`status`, `scale`, `eviction`, `token`); a client picks its listed verbs. What `get`,
 * `update` and `patch` answer is named (a status or scale of a named object); `create` answers what the server makes.
 */
export interface SubresourceVerbMethods<T, R> {
  get(name: string, options?: GetOptions<R>): Promise<WithName<T>>;
  /** Creates on the parent object `name`, e.g. an Eviction of pod `name` or a TokenRequest for service account `name`. */
  create(name: string, body: T, options?: WriteOptions<R>): Promise<T>;
  /** Replaces the subresource of the object named by `body.metadata.name`. */
  update<B>(body: NamedBody<T, B, WithName<T>>, options?: WriteOptions<R> & PatchCheckOption<T>): Promise<WithName<T>>;
  patch: PatchMethod<T, R>;
}

/** Subresource verbs the client implements (others, like `pods/exec` streaming, need dedicated code). */
export type SubresourceVerb = keyof SubresourceVerbMethods<unknown, unknown>;

/** The client of one JSON subresource: body type `T`, exactly verbs `V`, scope `S`. */
export type SubresourceClient<T, V extends Verb, S extends AnyScope> = { [K in Extract<V, SubresourceVerb>]: SubresourceVerbMethods<T, S>[K] };

/** One subresource as a client's type lists it: its body type and its verbs. */
export interface Subresource<Body, V extends Verb> {
  readonly body: Body;
  readonly verbs: V;
}

/** Each subresource of a descriptor with its body type and verbs: `{ status: Subresource<Job, "get" | "patch" | "update"> }`. */
export type SubresourcesOf<R extends ResourceDescriptor> = R["subresources"] extends infer S
  ? S extends { readonly [name: string]: SubresourceDescriptor }
    ? { [K in keyof S & string]: Subresource<SubresourceBodyOf<R, K>, S[K]["verbs"][number]> }
    : {}
  : {};

type SubresourceClients<Subs, S extends AnyScope> = {
  readonly [K in Exclude<keyof Subs & string, StreamingSubresource>]: Subs[K] extends Subresource<infer Body, infer V> ? SubresourceClient<Body, V, S> : never;
};

/** `create` as the verbs call for it: named objects when the resource can be read back, anything else otherwise. */
type CreateMethodOf<V extends Verb, T, S extends AnyScope> = "create" extends V
  ? "get" extends V
    ? Pick<ResourceVerbMethods<T, S>, "create">
    : CreateOnlyMethod<T, S>
  : {};

/**
 * A client with exactly verbs `V` on objects `T` in scope `S`, with subresources `Subs`: what
 * `kube.resource(descriptor)` answers (shown so in messages, e.g. `ClientWith<"create", TokenReview, ClusterScoped, {}>`),
 * and the type generic code asks for: `ClientWith<"get" | "list", T>` is any client that can get and list a `T`.
 * `apply` comes with `patch`, `listAll`/`listPages` with `list`, one property per JSON subresource and methods
 * for the streaming ones (`log`, `exec`, `attach`, `portforward`).
 */
export type ClientWith<V extends Verb, T, S extends AnyScope = AnyScope, Subs = {}> = Pick<ResourceVerbMethods<T, S>, Exclude<V, "create">> &
  CreateMethodOf<V, T, S> &
  ("patch" extends V ? ApplyMethod<T, S> : {}) &
  ("list" extends V ? ListAllMethod<T, S> : {}) &
  SubresourceClients<Subs, S> &
  StreamingMethods<Subs, S> &
  Validatable<T> & {
    /** The descriptor this client was made from. */
    readonly descriptor: ResourceDescriptor & { readonly namespaced: S["namespaced"] };
  };

/** The client for one descriptor (`ResourceClient<typeof pods>`): the `ClientWith` of its verbs, object type, scope and subresources. */
export type ResourceClient<R extends ResourceDescriptor> = ClientWith<VerbsOf<R>, ObjectTypeOf<R>, ClientScopeOf<R>, SubresourcesOf<R>>;

/** A client that can `get` a `T`, whatever else it can do: for generic helpers. */
export type Gettable<T> = ClientWith<"get", T>;
/** A client that can `list` a `T` (and so `listAll`/`listPages`): for generic helpers. */
export type Listable<T> = ClientWith<"list", T>;
