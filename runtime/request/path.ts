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

/**
 * Builds the absolute path of a resource, collection or subresource, validating each segment so a hostile
 * name can never address another URL: `/apis/batch/v1/namespaces/default/jobs/pi/status`.
 */
export function buildResourcePath(parts: ResourcePathParts): string {
  const segments = [buildGroupVersionPath(parts.group, parts.version)];
  if (parts.namespace !== undefined) segments.push("namespaces", encodePathSegment(validateNamespace(parts.namespace)));
  segments.push(encodePathSegment(validatePathSegment("plural", parts.plural)));
  if (parts.name !== undefined) segments.push(encodePathSegment(validateName(parts.name)));
  if (parts.subresource !== undefined) {
    if (parts.name === undefined) throw new RequestValidationError("subresource", `"${parts.subresource}" needs an object name`);
    segments.push(validateSubresource(parts.subresource));
  }
  return segments.join("/");
}
