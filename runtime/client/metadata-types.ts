// The type of a metadata client: the read verbs a descriptor lists, each answering PartialObjectMetadata.
import type { ResourceDescriptor } from "../api/descriptor.js";
import type { PartialObjectMetadata } from "../api/metadata.js";
import type { ResourceList } from "../api/objects.js";
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

/**
 * Metadata-only reads of one resource (`kube.metadata(descriptor)`): `get`, `list` (+ `listAll`, `listPages`) and
 * `watch` where the descriptor lists them. Pass it to `createInformer` for an informer that holds metadata only.
 */
export type MetadataClient<R extends ResourceDescriptor> = Pick<MetadataVerbMethods<R>, Extract<VerbsOf<R>, keyof MetadataVerbMethods<R>>> &
  ("list" extends VerbsOf<R> ? ListAllMethod<PartialObjectMetadata, R> : {}) & {
    /** The descriptor this client was made from. */
    readonly descriptor: R;
  };
