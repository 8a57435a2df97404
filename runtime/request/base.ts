// What every request of one resource client shares, made and validated once when the client is made: with the call, build.ts's only input.
import type { BodyType } from "./body.js";
import { apiVersionOf, groupVersionKey } from "../core/group-version.js";
import { collectionAddress, type CollectionAddress } from "./path.js";

/** A descriptor's coordinates, which is all a request base is made of (`ResourceDescriptor` fits). */
export interface ResourceCoordinates {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly subresources?: { readonly [name: string]: { readonly kind?: string; readonly group?: string; readonly version?: string } };
}

/** One resource's collection path, types, namespace rule and default namespace, checked once. */
export interface RequestBase {
  readonly address: CollectionAddress;
  /** The resource's `apiVersion` and `kind`, filled into bodies that leave them out. */
  readonly type: BodyType;
  /** Each subresource's body type: its own kind (Scale, Eviction) or none, in its own group/version or the resource's. */
  readonly subresourceTypes: ReadonlyMap<string, BodyType>;
  readonly namespaced: boolean;
  /** Where namespaced calls go when neither the options nor the body name a namespace. */
  readonly defaultNamespace: string;
  /** `Kind (plural.group/version)`, for messages. */
  readonly label: string;
}

/**
 * The base of every request of the resource at `coordinates`: group, version and plural are validated here,
 * once, so a bad descriptor fails where the client is made and no request checks them again.
 */
export function createRequestBase(coordinates: ResourceCoordinates, defaultNamespace: string): RequestBase {
  const { group, version, plural, kind, namespaced } = coordinates;
  const address = collectionAddress(group, version, plural);
  const subresourceTypes = new Map<string, BodyType>();
  for (const [name, subresource] of Object.entries(coordinates.subresources ?? {})) {
    subresourceTypes.set(name, { apiVersion: apiVersionOf(subresource.group ?? group, subresource.version ?? version), kind: subresource.kind });
  }
  const label = `${kind} (${plural}.${groupVersionKey(group, version)})`;
  return Object.freeze({ address, type: { apiVersion: apiVersionOf(group, version), kind }, subresourceTypes, namespaced, defaultNamespace, label });
}
