// How a change of a secondary object becomes primary keys: its owner references, or a mapping function of the caller.
import type { ResourceDescriptor } from "../api/descriptor.js";
import type { ObjectMetadata } from "../api/metadata.js";
import type { InformerOptions, InformerSource } from "../informer/informer.js";
import type { Stored } from "../informer/reflector.js";
import { objectKey } from "../informer/store.js";

/** A secondary collection a controller watches, and how its objects map to primary keys. */
export interface RelatedSource<S = any> {
  readonly source: InformerSource<S>;
  readonly options?: InformerOptions<ResourceDescriptor, S> | undefined;
  /** The primary keys (`namespace/name`, or `name` when cluster-scoped) a change of `object` concerns. */
  readonly keysOf: (object: S) => Iterable<string>;
}

/** An owned collection: a resource client (or `kube.metadata(...)`), or one with its informer options (scope, selectors). */
export type OwnedSource = InformerSource<Stored> | { source: InformerSource<Stored>; options?: InformerOptions | undefined };

/**
 * A secondary collection whose changes queue the primary keys `map` answers, e.g. the Widgets that name a
 * Secret: `watchRelated(kube.resource(secrets), (secret) => widgetsUsing(secret))`. `map` is typed by the source.
 */
export function watchRelated<S extends Stored>(source: InformerSource<S>, map: (object: S) => Iterable<string>, options?: InformerOptions<ResourceDescriptor, S>): RelatedSource<S> {
  return { source, options, keysOf: map };
}

/** `owns` entries as related sources: an owned object maps to its owners of the primary's group and kind. */
export function ownedSources(primary: ResourceDescriptor, owned: readonly OwnedSource[]): RelatedSource<Stored>[] {
  return owned.map((entry) => {
    const { source, options } = "source" in entry ? entry : { source: entry, options: undefined };
    return { source, options, keysOf: (object: Stored) => ownerKeys(primary, object) };
  });
}

/**
 * Keys of `object`'s owners that are objects of `primary` (group and kind match; any version, as
 * controller-runtime compares). Owners live in the object's namespace, or none when the primary is cluster-scoped.
 */
export function ownerKeys(primary: ResourceDescriptor, object: Stored): string[] {
  const metadata = object.metadata as ObjectMetadata | undefined;
  const namespace = primary.namespaced ? metadata?.namespace : undefined;
  return (metadata?.ownerReferences ?? [])
    .filter((owner) => owner.kind === primary.kind && groupOf(owner.apiVersion) === primary.group)
    .map((owner) => objectKey(namespace, owner.name));
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

/** `namespace/name` back to its parts; a key without a slash is a cluster-scoped name. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf("/");
  return slash === -1 ? { namespace: undefined, name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The key of an object, as informers store it. */
export function keyOf(object: Stored): string | undefined {
  const name = object.metadata?.name;
  return name === undefined ? undefined : objectKey(object.metadata?.namespace, name);
}
