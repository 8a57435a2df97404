// A JSON merge patch (RFC 7386) applied as the API server applies it (evanphx/json-patch's MergePatch), to check its result before sending.
import { isObject } from "../walker.js";

/**
 * `patch` merged into `current` (neither is changed). RFC 7386, with the server's one difference: a value that does
 * not merge into an object already there (a new field, or one replacing a list or a scalar) loses its `null`s,
 * in objects and in lists alike; a list replacing an object keeps them.
 */
export function applyMergePatch(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
      continue;
    }
    const existing = Object.hasOwn(result, key) ? result[key] : undefined;
    if (isObject(existing) && isObject(value)) result[key] = applyMergePatch(existing, value);
    else if (isObject(existing)) result[key] = value;
    else result[key] = withoutNulls(value);
  }
  return result;
}

/** `value` with every `null` in it dropped: object members and list items. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(withoutNulls);
  if (!isObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) result[key] = withoutNulls(item);
  return result;
}
