// A JSON merge patch (RFC 7386) applied as the API server applies it (evanphx/json-patch's MergePatch), to check its result before sending.
import { isObject } from "../walker.js";

/** A `null` item in a list the patch puts in place: servers differ on it (older ones drop it, v1.37 keeps it). */
const UNCERTAIN = Symbol("uncertain");

/**
 * `patch` merged into `current` (neither is changed), or `undefined` when servers would not agree on the result.
 * RFC 7386, with the server's one difference: a value that does not merge into an object already there (a new
 * field, or one replacing a list or a scalar) loses the `null` members of the objects in it.
 */
export function applyMergePatch(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    return merged(current, patch);
  } catch (error) {
    if (error === UNCERTAIN) return undefined;
    throw error;
  }
}

function merged(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
      continue;
    }
    const existing = Object.hasOwn(result, key) ? result[key] : undefined;
    if (isObject(existing) && isObject(value)) result[key] = merged(existing, value);
    // A list replacing an object is taken as it is by some servers, pruned by others.
    else if (isObject(existing)) result[key] = JSON.stringify(value).includes("null") ? uncertain() : value;
    else result[key] = withoutNulls(value);
  }
  return result;
}

/** `value` with the `null` members of its objects dropped, at any depth. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === null ? uncertain() : withoutNulls(item)));
  if (!isObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) result[key] = withoutNulls(item);
  return result;
}

function uncertain(): never {
  throw UNCERTAIN;
}
