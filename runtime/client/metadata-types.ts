// The type of a metadata client: the read verbs a descriptor lists, each answering PartialObjectMetadata.
import type { ResourceDescriptor } from "../api/descriptor.js";
import type { PartialObjectMetadata } from "../api/metadata.js";
import type { ResourceList } from "../api/objects.js";
import type { AnyScope, ScopeOf } from "../api/scope.js";
import type { GetOptions, ListAllMethod, ListOptions, VerbsOf, WatchEventOf, WatchOptions } from "./resource-types.js";

/** The read verbs of a metadata client; a client picks those its descriptor lists. */
export interface MetadataVerbMethods<R> {
  /** The object's metadata (`PartialObjectMetadata`). */
  get(name: string, options?: GetOptions<R>): Promise<PartialObjectMetadata>;
  /** One page of the collection's metadata (`PartialObjectMetadataList`). */
  list(options?: ListOptions<R>): Promise<ResourceList<PartialObjectMetadata>>;
  /** A resuming watch whose events carry metadata only (see `ResourceVerbMethods.watch`). */
  watch<const Resume extends boolean = true>(options?: WatchOptions<R> & { resume?: Resume }): AsyncIterable<WatchEventOf<Resume, PartialObjectMetadata>>;
}

/** The verbs a metadata client can have: the read verbs. */
export type MetadataVerb = keyof MetadataVerbMethods<unknown>;

/**
 * A metadata client with exactly the read verbs `V`, in scope `S`: what `kube.metadata(descriptor)` answers, shown
 * so in messages (`MetadataClientWith<"get" | "list" | "watch", Namespaced>`), its object being `PartialObjectMetadata`.
 */
export type MetadataClientWith<V extends MetadataVerb, S extends AnyScope = AnyScope> = Pick<MetadataVerbMethods<S>, V> &
  ("list" extends V ? ListAllMethod<PartialObjectMetadata, S> : {}) & {
    /** The descriptor this client was made from. */
    readonly descriptor: ResourceDescriptor & { readonly namespaced: S["namespaced"] };
  };

/**
 * Metadata-only reads of one resource (`kube.metadata(descriptor)`): `get`, `list` (+ `listAll`, `listPages`) and
 * `watch` where the descriptor lists them. Pass it to `createInformer` for an informer that holds metadata only.
 */
export type MetadataClient<R extends ResourceDescriptor> = MetadataClientWith<Extract<VerbsOf<R>, MetadataVerb>, ScopeOf<R>>;
