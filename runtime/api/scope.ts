// Where a call goes: the scope markers a client's type shows (Namespaced, ClusterScoped) and the scope options that follow from them.

/** A namespaced resource, as a client's type shows it: its calls take `namespace` (and collections `allNamespaces`). */
export interface Namespaced {
  readonly namespaced: true;
}
/** A cluster-scoped resource, as a client's type shows it: its calls refuse `namespace` and `allNamespaces`. */
export interface ClusterScoped {
  readonly namespaced: false;
}
/** Either scope: what generic code over any client sees (a namespace is then checked at run time). */
export interface AnyScope {
  readonly namespaced: boolean;
}
/**
 * Beside a scope marker (`Namespaced & SelectableFields<"spec.color" | "spec.size">`): the field paths a custom
 * resource's field selectors may name beside `metadata.name`/`metadata.namespace`, its CRD's `selectableFields`.
 * A scope without it takes any path.
 */
export interface SelectableFields<F extends string> {
  readonly selectableFields: F;
}
/** The selectable field paths a scope marker carries, or `string` (any path) when it carries none. */
export type SelectableFieldsIn<S> = S extends SelectableFields<infer F> ? F : string;
/** The scope marker of a descriptor (or of a marker itself): `Namespaced`, `ClusterScoped` or, when unknown, `AnyScope`. */
export type ScopeOf<R> = R extends { readonly namespaced: false } ? ClusterScoped : R extends { readonly namespaced: true } ? Namespaced : AnyScope;

// The option types of a cluster-scoped resource spell the fix, so a mistake reads as the message (string literal types).
/** What `namespace` says on a cluster-scoped resource. */
export type ClusterScopedNamespace = "cluster-scoped: remove namespace";
/** What `allNamespaces` says on a cluster-scoped resource. */
export type ClusterScopedAllNamespaces = "cluster-scoped: remove allNamespaces";
/** What `namespace` and `allNamespaces: true` say when given together. */
export type NamespaceOrAllNamespaces = "give namespace or allNamespaces, not both";

/** Cluster-scoped resources refuse a namespace at compile time (a message type) and at run time. `R`: a descriptor or scope marker. */
export type NamespaceOption<R> = R extends { readonly namespaced: false } ? { namespace?: ClusterScopedNamespace | undefined } : { namespace?: string | undefined };

/**
 * `list`/`watch` scope: one namespace (default: the client's) or, for namespaced resources, all of them. Both at
 * once meet the message on whichever side TypeScript compares.
 */
export type CollectionScopeOption<R> = R extends { readonly namespaced: false }
  ? { namespace?: ClusterScopedNamespace | undefined; allNamespaces?: ClusterScopedAllNamespaces | undefined }
  : R extends { readonly namespaced: true }
    ? { namespace?: string | undefined; allNamespaces?: false | NamespaceOrAllNamespaces | undefined } | { namespace?: NamespaceOrAllNamespaces | undefined; allNamespaces: true }
    : AnyCollectionScope;

/**
 * The scope options when the scope is not known (generic code, `namespaced: boolean`): wide enough that the options
 * of either scope fit in it, so a client of either scope is a `ClientWith<..., T>` (the run time still checks).
 */
export interface AnyCollectionScope {
  namespace?: string | undefined;
  allNamespaces?: boolean | ClusterScopedAllNamespaces | NamespaceOrAllNamespaces | undefined;
}
