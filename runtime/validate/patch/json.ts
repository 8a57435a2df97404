// A JSON patch (RFC 6902) applied locally with fast-json-patch, to check its result before sending; anything the server might read otherwise is left to it.
import jsonPatch from "fast-json-patch";

const OPERATIONS: ReadonlySet<unknown> = new Set(["add", "remove", "replace", "move", "copy", "test"]);

/**
 * The object `operations` turn `current` into, or `undefined` when that is not certain: an operation the library
 * refuses (a path that does not resolve, an index out of range, a negative index the server would count from the end),
 * a failing `test` (the server answers that itself), or one on the whole document. Neither input is changed.
 */
export function applyJsonPatch(current: Record<string, unknown>, operations: readonly unknown[]): unknown {
  if (!operations.every(isPlainOperation)) return undefined;
  try {
    // Cloned: the library inserts the operations' values as they are, and a later operation may change them.
    return jsonPatch.applyPatch(structuredClone(current), structuredClone(operations) as jsonPatch.Operation[], true, true).newDocument;
  } catch {
    return undefined;
  }
}

/** An operation the library applies as the server does: a known `op` on a path below the document's root. */
function isPlainOperation(operation: unknown): boolean {
  if (typeof operation !== "object" || operation === null) return false;
  const { op, path, from } = operation as { op?: unknown; path?: unknown; from?: unknown };
  const below = (pointer: unknown) => typeof pointer === "string" && pointer.startsWith("/");
  return OPERATIONS.has(op) && below(path) && (from === undefined || below(from));
}
