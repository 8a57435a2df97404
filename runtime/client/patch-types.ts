// Patch bodies by patch type: RFC 6902 operations for `json`, a partial object for merge, strategic and apply.
import type { PatchType } from "../request/patch.js";

/** One RFC 6902 operation of a `json` patch. */
export type JsonPatchOperation =
  | { op: "add" | "replace" | "test"; path: string; value: unknown }
  | { op: "remove"; path: string }
  | { op: "move" | "copy"; from: string; path: string };

/** A `json` patch: a list of operations. */
export type JsonPatch = readonly JsonPatchOperation[];

/**
 * A merge, strategic-merge or apply patch: any subset of the object; `null` removes a field, `undefined` leaves it
 * (JSON has no undefined: the key is not sent), so a value that may be missing passes under exactOptionalPropertyTypes.
 */
export type MergePatch<T> = { [K in keyof T]?: MergePatchValue<T[K]> | null | undefined };
type MergePatchValue<V> = V extends readonly (infer U)[] ? readonly MergePatchValue<U>[] : V extends object ? MergePatch<V> : V;

/**
 * The body `patch` takes for patch type `P`: operations for `json`, a partial object otherwise, or a raw string.
 * A body of the other kind meets a union member only a mistake reaches, whose one property name is the fix
 * (written inline: an alias would show its name in the message instead of the fix). The member for operations
 * is indexed but not array-like, so that TypeScript still explains a wrong merge body field by field.
 */
export type PatchBody<T, P extends PatchType> = P extends "json"
  ? string | JsonPatch | { "type 'json' takes [{ op, path, value }]: drop type for a merge patch": never }
  : string | MergePatch<T> | { readonly [index: number]: { "operations need { type: 'json' } in the options": never } };
