// How a call is cancelled, and (re-exported from api/scope.ts) where it goes: the option types every method shares.
export type {
  Namespaced,
  ClusterScoped,
  AnyScope,
  ScopeOf,
  SelectableFields,
  SelectableFieldsIn,
  ClusterScopedNamespace,
  ClusterScopedAllNamespaces,
  NamespaceOrAllNamespaces,
  NamespaceOption,
  CollectionScopeOption,
} from "../api/scope.js";

/** Every method takes an AbortSignal and, except the streaming watch, a per-request timeout. */
export interface SignalOption {
  signal?: AbortSignal | undefined;
  /** This request's timeout in milliseconds instead of the client's (`connect({ timeoutMs })`); 0 = none. */
  timeoutMs?: number | undefined;
}
