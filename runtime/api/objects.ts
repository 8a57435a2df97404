// Shapes the API server answers with, independent of any group/version: Status, list envelopes, object metadata.
/** Cause of a `Status` failure, e.g. one invalid field. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** `Status.details`: which object the failure is about and why. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The `meta/v1` `Status` object the API server answers with on failures (and some deletes). */
export interface Status {
  apiVersion?: string;
  kind?: "Status";
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number; selfLink?: string };
  status?: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** The part of `ObjectMeta` the runtime reads (name and namespace for update/apply, resourceVersion for watch). */
export interface ObjectMetaLike {
  name?: string;
  generateName?: string;
  namespace?: string;
  resourceVersion?: string;
  uid?: string;
  labels?: { [key: string]: string };
  annotations?: { [key: string]: string };
}

/** Any Kubernetes object; the object type of descriptors declared without one (dynamic clients). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaLike;
  [field: string]: unknown;
}

/** A list answer: `items` plus the paging and consistency metadata. */
export interface ResourceList<T> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}
