// Where a call goes and how it is cancelled: the option types every method (JSON and streaming) shares.

/** Cluster-scoped resources refuse a namespace at compile time (`never`) and at run time. */
export type NamespaceOption<R> = R extends { readonly namespaced: false } ? { namespace?: never } : { namespace?: string };

/** `list`/`watch` scope: one namespace (default: the client's) or, for namespaced resources, all of them. */
export type CollectionScopeOption<R> = R extends { readonly namespaced: false }
  ? { namespace?: never; allNamespaces?: never }
  : { namespace?: string; allNamespaces?: false } | { namespace?: never; allNamespaces: true };

/** Every method takes an AbortSignal and, except the streaming watch, a per-request timeout. */
export interface SignalOption {
  signal?: AbortSignal;
  /** This request's timeout in milliseconds instead of the client's (`connect({ timeoutMs })`); 0 = none. */
  timeoutMs?: number;
}
