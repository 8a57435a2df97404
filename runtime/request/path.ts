// Resource paths: a collection's fixed part validated once, the parts that change per call validated each time.
import { RequestValidationError, validateGroupVersion, validateName, validateNamespace, validatePathSegment, validateSubresource } from "./validation.js";
import { groupVersionUrlPath } from "../core/group-version.js";

/** Where a resource request goes: the descriptor's coordinates plus the object it addresses. */
export interface ResourcePathParts {
  /** API group; "" is the core group served under `/api`. */
  group: string;
  version: string;
  /** Plural resource name, e.g. `jobs`, `configmaps`. */
  plural: string;
  /** Omit for cluster-scoped resources and for lists across all namespaces. */
  namespace?: string;
  /** Omit to address the collection. */
  name?: string;
  /** e.g. `status`, `scale`, `eviction`; needs `name`. */
  subresource?: string;
}

// Characters encodeURIComponent keeps as they are: the common case needs no encoding pass.
const UNRESERVED = /^[A-Za-z0-9._~-]*$/;

/** Percent-encodes a validated segment, keeping `:` and `@` readable (they are legal in a path segment). */
export function encodePathSegment(segment: string): string {
  if (UNRESERVED.test(segment)) return segment;
  return encodeURIComponent(segment).replace(/%3A/gi, ":").replace(/%40/gi, "@");
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function buildGroupVersionPath(group: string, version: string): string {
  validateGroupVersion(group, version);
  return groupVersionUrlPath(group, version);
}

/** A collection's fixed part, validated once: `/apis/<group>/<version>` and the encoded plural. */
export interface CollectionAddress {
  readonly groupVersionPath: string;
  readonly plural: string;
}

/** Validates group, version and plural once (a resource client does it when it is made). */
export function collectionAddress(group: string, version: string, plural: string): CollectionAddress {
  return { groupVersionPath: buildGroupVersionPath(group, version), plural: encodePathSegment(validatePathSegment("plural", plural)) };
}

/**
 * The absolute path of a collection, an object or an object's subresource at `address`; only the parts that
 * change per call (namespace, name, subresource) are validated here, so a hostile name can never address
 * another URL: `/apis/batch/v1/namespaces/default/jobs/pi/status`.
 */
export function addressPath(address: CollectionAddress, namespace?: string, name?: string, subresource?: string): string {
  let path = address.groupVersionPath;
  if (namespace !== undefined) path += `/namespaces/${encodePathSegment(validateNamespace(namespace))}`;
  path += `/${address.plural}`;
  if (name !== undefined) path += `/${encodePathSegment(validateName(name))}`;
  if (subresource !== undefined) {
    if (name === undefined) throw new RequestValidationError("subresource", `"${subresource}" needs an object name`);
    path += `/${validateSubresource(subresource)}`;
  }
  return path;
}

/** The path of `parts`, every segment validated: for one-off paths outside a resource client. */
export function buildResourcePath(parts: ResourcePathParts): string {
  return addressPath(collectionAddress(parts.group, parts.version, parts.plural), parts.namespace, parts.name, parts.subresource);
}
