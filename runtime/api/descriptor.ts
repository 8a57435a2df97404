// What a generated module declares about a resource (descriptor + phantom types); generated code describes, the runtime acts.
import { assertRuntimeCompatible, type RuntimeCompatibility } from "../core/version.js";
import type { Verb } from "../core/verb.js";
import type { ValidationSource } from "./validation-schema.js";

export type { Verb } from "../core/verb.js";

/** A subresource (`jobs/status`, `deployments/scale`, `pods/eviction`) with its own verbs. */
export interface SubresourceDescriptor {
  readonly verbs: readonly Verb[];
  /** Kind of the subresource's body when it differs from the parent's (e.g. `Scale`). */
  readonly kind?: string;
  /** Group/version of that kind when it differs from the parent's (e.g. `autoscaling`/`v1` for scale). */
  readonly group?: string;
  readonly version?: string;
}

/**
 * What a generated module says about one resource: the generated code describes, the runtime acts.
 * `group` is "" for the core group (`/api/v1`).
 */
export interface ResourceDescriptor {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly Verb[];
  readonly subresources?: { readonly [name: string]: SubresourceDescriptor };
  /**
   * The runtime compatibility line a generator emitted this descriptor for (`"0.1"`; the major from 1.0 on).
   * Another line fails to type-check and `defineResource` throws `RuntimeVersionError`; absent means unchecked.
   */
  readonly runtime?: RuntimeCompatibility;
  /** Where the object's schema data is (`validate()`, `connect({ validate: "before-send" })`); loaded on first use. */
  readonly validation?: ValidationSource;
}

/** Phantom type slot carrying the object type `T`, subresource body types `S` and selectable fields `F` of a descriptor. */
declare const resourceTypes: unique symbol;
/**
 * A descriptor `D` carrying, in a phantom slot, its object type `T`, subresource body types `S` and the field paths
 * `F` its field selectors may name beside `metadata.name`/`metadata.namespace` (`string`: not known, any path).
 */
export type TypedResource<T, S, D extends ResourceDescriptor, F extends string = string> = D & {
  readonly [resourceTypes]?: { readonly object: T; readonly subresources: S; readonly selectableFields: F };
};
/** The object type a typed descriptor was declared with (`Job` for `jobs`). */
export type ObjectOf<R> = R extends { readonly [resourceTypes]?: { readonly object: infer T } } ? T : never;
/** The subresource body types a typed descriptor was declared with (`{ status: Job }`). */
export type SubresourceTypesOf<R> = R extends { readonly [resourceTypes]?: { readonly subresources: infer S } } ? S : never;
/**
 * The field paths a descriptor's field selectors may name beside `metadata.name`/`metadata.namespace`: a CRD's
 * `selectableFields` (`"spec.color" | "spec.size"`), or `string` (any path) when the generator did not know them.
 */
export type SelectableFieldsOf<R> = R extends { readonly [resourceTypes]?: { readonly selectableFields: infer F extends string } } ? F : string;

/**
 * Declares a resource descriptor with its object type, subresource body types and, for a custom resource whose CRD
 * lists `selectableFields`, those field paths:
 * `defineResource<Job, { status: Job }>()({ group: "batch", ..., verbs: ["get", ...] })`,
 * `defineResource<Widget, {}, "spec.color" | "spec.size">()({ ... })`.
 * The curried form lets TypeScript infer the descriptor literally (`const` type parameter) while `T` is given.
 * Throws `RuntimeVersionError` when the descriptor was generated for another runtime line, so a stale
 * generated module fails where it is imported, naming itself and the fix.
 */
export function defineResource<T, S extends object = {}, F extends string = string>() {
  return <const D extends ResourceDescriptor>(descriptor: D): TypedResource<T, S, D, F> => {
    assertRuntimeCompatible(descriptor);
    return Object.freeze(descriptor) as TypedResource<T, S, D, F>;
  };
}
