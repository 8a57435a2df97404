// The metadata every object carries, in full, and the PartialObjectMetadata answers of metadata-only reads.
import type { ObjectMetaLike } from "./objects.js";

/** An owner of an object (`metadata.ownerReferences[]`): what garbage collection and controllers follow. */
export interface OwnerReferenceLike {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** True on the one owner that manages the object. */
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** `ObjectMeta` with the fields controllers read: generation, finalizers, owners, deletion and managed fields. */
export interface ObjectMetadata extends ObjectMetaLike {
  creationTimestamp?: string;
  /** Set when deletion was requested; the object stays until its finalizers are gone. */
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  /** Bumped by the server on every change of the spec (not of status or metadata). */
  generation?: number;
  finalizers?: string[];
  ownerReferences?: OwnerReferenceLike[];
  /** Server-side apply's field ownership: often the largest part of an object, rarely read by controllers. */
  managedFields?: unknown[];
  selfLink?: string;
}

/** An object read metadata-only (`meta.k8s.io/v1` `PartialObjectMetadata`): type meta and metadata, no spec or status. */
export interface PartialObjectMetadata {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMetadata;
}

/** The type meta of metadata-only answers, for objects a server sent in full and the client trimmed. */
export const PARTIAL_METADATA_TYPE = { apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata" } as const;

/** `object` reduced to its metadata; an answer that already is `PartialObjectMetadata` is returned as it is. */
export function toPartialMetadata(object: unknown): PartialObjectMetadata {
  const value = (object ?? {}) as { kind?: string; metadata?: ObjectMetadata };
  if (value.kind === PARTIAL_METADATA_TYPE.kind) return value as PartialObjectMetadata;
  return { ...PARTIAL_METADATA_TYPE, metadata: value.metadata ?? {} };
}
