// A strategic merge patch applied as apimachinery's strategicpatch applies it on the server, to check its result before sending; where that result is not certain, nothing.
import type { SchemaNode } from "../../api/validation-schema.js";
import { isObject, type ResolveRef } from "../walker.js";

/** The server's merge would fail, or do something this module does not follow exactly: the patch is then sent unchecked. */
class Uncertain extends Error {}
function uncertain(): never {
  throw new Uncertain();
}

type Json = Record<string, unknown>;
const DIRECTIVE = "$patch";
const RETAIN_KEYS = "$retainKeys";
const DELETE_FROM = "$deleteFromPrimitiveList/";
const SET_ORDER = "$setElementOrder/";

/**
 * `patch` merged into `current` by the patch keywords of `root`'s schema (`x-kubernetes-patch-strategy`,
 * `x-kubernetes-patch-merge-key`, published from the Go struct tags the server merges with), or `undefined` when
 * the result is not certain. Lists of maps merge by key, lists of scalars as sets, with the `$patch`,
 * `$retainKeys`, `$deleteFromPrimitiveList` and `$setElementOrder` directives and the server's order of items.
 * Neither input is changed.
 */
export function applyStrategicPatch(current: Json, patch: Json, root: SchemaNode, resolve: ResolveRef): Json | undefined {
  try {
    return new StrategicMerge(resolve).mergeMap(structuredClone(current), structuredClone(patch), root);
  } catch (error) {
    if (error instanceof Uncertain) return undefined;
    throw error;
  }
}

class StrategicMerge {
  constructor(private readonly resolve: ResolveRef) {}

  /** strategicpatch's mergeMap, on copies it may change. */
  mergeMap(original: Json, patch: Json, schema: SchemaNode): Json {
    if (Object.hasOwn(patch, DIRECTIVE)) {
      const directive = patch[DIRECTIVE];
      delete patch[DIRECTIVE];
      if (directive === "delete") return {};
      if (directive !== "replace") uncertain();
      return settled(patch) as Json;
    }
    retainKeys(original, patch);
    this.mergeOrderedLists(original, patch, schema);
    for (const [patchKey, value] of Object.entries(patch)) {
      const deleting = patchKey.startsWith(DELETE_FROM);
      const key = deleting ? patchKey.slice(DELETE_FROM.length) : patchKey;
      if (key.startsWith("$")) uncertain();
      if (value === null) {
        delete original[key];
        continue;
      }
      if (!Object.hasOwn(original, key) || kindOf(original[key]) !== kindOf(value)) {
        // Added whole, or replacing a value of another type (a delete list has nothing to delete from: the server keeps it as the list).
        if (deleting) uncertain();
        original[key] = settled(value);
        continue;
      }
      original[key] = this.mergeField(original[key], value, this.field(schema, key), deleting);
    }
    return original;
  }

  /** One field present in both, of the same JSON type: maps merge unless `replace`, lists by their strategy, scalars are replaced. */
  private mergeField(before: unknown, value: unknown, field: SchemaNode, deleting: boolean): unknown {
    const strategy = patchStrategy(field);
    if (isObject(before)) return strategy === "replace" ? settled(value) : this.mergeMap(before, value as Json, field);
    if (!Array.isArray(before)) return value;
    if (strategy !== "merge") {
      if (deleting) uncertain();
      return settled(value);
    }
    return this.mergeList(before, value as unknown[], this.items(field), mergeKeyOf(field), deleting);
  }

  /** strategicpatch's mergeSlice: scalars as a set, maps by their merge key, then the server's order. */
  private mergeList(original: unknown[], patch: unknown[], items: SchemaNode, mergeKey: string, deleting: boolean): unknown[] {
    if (original.length === 0 && patch.length === 0) return original;
    const kind = elementKind(original, patch);
    if (kind !== "map") {
      // Go tells int64 from float64 items apart here; JSON numbers do not say which the server decoded.
      if (kind === "number") uncertain();
      if (deleting) return original.filter((item) => !patch.includes(item));
      const merged = withoutDuplicates([...original, ...patch]);
      const [fromPatch, serverOnly] = partition(merged, patch, "");
      return normalizeOrder(fromPatch, serverOnly, patch, original, "");
    }
    if (deleting || mergeKey === "") uncertain();
    const [kept, plain] = withDirectiveItems(original as Json[], patch as Json[], mergeKey);
    const merged = [...kept];
    for (const item of plain) {
      if (!Object.hasOwn(item, mergeKey)) uncertain();
      const at = merged.findIndex((other) => Object.hasOwn(other, mergeKey) && sameKey(other[mergeKey], item[mergeKey]));
      if (at >= 0) merged[at] = this.mergeMap(merged[at]!, item, items);
      else merged.push(settled(item) as Json);
    }
    const [fromPatch, serverOnly] = partition(merged, plain, mergeKey);
    return normalizeOrder(fromPatch, serverOnly, plain, kept, mergeKey);
  }

  /** `$setElementOrder/<list>`: the list merged, then ordered as the directive says (strategicpatch's mergePatchIntoOriginal). */
  private mergeOrderedLists(original: Json, patch: Json, schema: SchemaNode): void {
    for (const [patchKey, order] of Object.entries(patch)) {
      if (!patchKey.startsWith(SET_ORDER)) continue;
      delete patch[patchKey];
      const key = patchKey.slice(SET_ORDER.length);
      const inOriginal = Object.hasOwn(original, key);
      const inPatch = Object.hasOwn(patch, key);
      const before = inOriginal ? listOrUncertain(original[key]) : [];
      const value = inPatch ? listOrUncertain(patch[key]) : [];
      const field = this.field(schema, key);
      const mergeKey = mergeKeyOf(field);
      const strategy = patchStrategy(field);
      checkOrderCovers(value, listOrUncertain(order), mergeKey);
      if (!inOriginal && !inPatch) continue;
      let merged: unknown[];
      if (!inPatch) merged = before;
      else if (!inOriginal) merged = settled(value) as unknown[];
      else merged = strategy === "merge" ? this.mergeList(before, value, this.items(field), mergeKey, false) : (settled(value) as unknown[]);
      const kind = elementKind(before, value);
      if ((kind === "map") !== (mergeKey !== "")) uncertain();
      const [fromPatch, serverOnly] = partition(merged, order as unknown[], mergeKey);
      original[key] = normalizeOrder(fromPatch, serverOnly, order as unknown[], before, mergeKey);
      delete patch[key];
    }
  }

  /** The schema of field `key` (a property, or a map's values); a field the type lacks fails on the server. */
  private field(schema: SchemaNode, key: string): SchemaNode {
    const node = this.deref(schema);
    const field = node.properties?.[key] ?? (isObject(node.additionalProperties) ? node.additionalProperties : undefined);
    return field ?? uncertain();
  }

  private items(field: SchemaNode): SchemaNode {
    return this.deref(field).items ?? uncertain();
  }

  /** A node with its `$ref` (or the `allOf: [{ $ref }]` a property with its own keywords is published as) resolved; its own keywords win. */
  private deref(schema: SchemaNode): SchemaNode {
    let node = schema;
    for (let hops = 0; node.$ref !== undefined && hops < 64; hops++) node = { ...this.resolve(node.$ref), ...withoutRef(node) };
    const wrapped = node.allOf?.length === 1 ? node.allOf[0] : undefined;
    if (wrapped?.$ref !== undefined && node.properties === undefined) {
      // The wrapper is unwrapped: neither it nor an allOf of what it names is kept (the merge reads only the patch keywords).
      const { allOf: _wrapper, ...own } = node;
      const { allOf: _inner, ...named } = this.deref(wrapped);
      return { ...named, ...own };
    }
    return node;
  }
}

function withoutRef(node: SchemaNode): SchemaNode {
  const { $ref: _, ...rest } = node;
  return rest;
}

/** The list strategy of a field without `retainKeys` (which only matters to the `$retainKeys` directive): "", "merge" or "replace". */
function patchStrategy(field: SchemaNode): string {
  const strategies = (field["x-kubernetes-patch-strategy"] ?? "").split(",").filter((part) => part !== "");
  const rest = strategies.filter((part) => part !== "retainKeys");
  if (strategies.length > 2 || rest.length > 1 || (strategies.length === 2 && rest.length !== 1)) uncertain();
  return rest[0] ?? "";
}

function mergeKeyOf(field: SchemaNode): string {
  return field["x-kubernetes-patch-merge-key"] ?? "";
}

/** `$retainKeys`: fields of the original the list does not name are cleared; a patch field it does not name fails on the server. */
function retainKeys(original: Json, patch: Json): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const keys = listOrUncertain(patch[RETAIN_KEYS]);
  delete patch[RETAIN_KEYS];
  if (keys.some((key) => typeof key === "object" && key !== null)) uncertain();
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith("$deleteFromPrimitiveList") || key.startsWith("$setElementOrder")) continue;
    if (!keys.includes(key)) uncertain();
  }
  for (const key of Object.keys(original)) if (!keys.includes(key)) delete original[key];
}

/** `$patch: delete` items remove the original's items with their key; `$patch: replace` makes the other items the whole list. */
function withDirectiveItems(original: Json[], patch: Json[], mergeKey: string): [Json[], Json[]] {
  let kept = original;
  const plain: Json[] = [];
  let replace = false;
  for (const item of patch) {
    if (!Object.hasOwn(item, DIRECTIVE)) plain.push(item);
    else if (item[DIRECTIVE] === "replace") replace = true;
    else if (item[DIRECTIVE] === "delete" && Object.hasOwn(item, mergeKey)) kept = kept.filter((other) => !(Object.hasOwn(other, mergeKey) && sameKey(other[mergeKey], item[mergeKey])));
    else uncertain();
  }
  return replace ? [plain.map((item) => settled(item) as Json), []] : [kept, plain];
}

/** Checks that the patch list's items come in the order `$setElementOrder` gives (the server refuses the patch otherwise). */
function checkOrderCovers(patch: readonly unknown[], order: readonly unknown[], mergeKey: string): void {
  if (order.length === 0 || patch.length === 0) return;
  const items = mergeKey === "" ? patch : patch.filter((item) => (isObject(item) ? item[DIRECTIVE] !== "delete" : uncertain()));
  let at = 0;
  for (const wanted of order) {
    while (at < items.length && isObject(items[at]) && Object.hasOwn(items[at] as Json, DIRECTIVE)) at++;
    if (at >= items.length) return;
    if (sameItem(items[at], wanted, mergeKey)) at++;
  }
  if (at < items.length) uncertain();
}

/** Items of `merged` that `by` names (by merge key, or the scalar itself), and the others. */
function partition(merged: readonly unknown[], by: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const named: unknown[] = [];
  const others: unknown[] = [];
  for (const item of merged) (by.some((other) => sameItem(item, other, mergeKey)) ? named : others).push(item);
  return [named, others];
}

/**
 * strategicpatch's normalizeElementOrder: the patch's items in the patch's order, the server-only items in the
 * original's, merged so that each server-only item stays before the first patch item the original had after it.
 */
function normalizeOrder(fromPatch: unknown[], serverOnly: unknown[], patchOrder: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string): unknown[] {
  const right = sortedBy(fromPatch, patchOrder, mergeKey);
  const left = sortedBy(serverOnly, serverOrder, mergeKey);
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) result.push(left[i++]);
    else if (i >= left.length) result.push(right[j++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      result.push(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
    }
  }
  return result;
}

/** A stable sort by position in `order`; an item `order` lacks makes Go's comparison inconsistent, so the order is not certain. */
function sortedBy(items: unknown[], order: readonly unknown[], mergeKey: string): unknown[] {
  const positions = items.map((item) => indexIn(order, item, mergeKey));
  if (positions.some((position) => position < 0)) uncertain();
  return items.map((item, index) => ({ item, position: positions[index]! })).sort((a, b) => a.position - b.position).map(({ item }) => item);
}

function indexIn(list: readonly unknown[], item: unknown, mergeKey: string): number {
  return list.findIndex((other) => sameItem(item, other, mergeKey));
}

/** Go's `==` on two items: by merge key value for maps (each must have it), by value for scalars. */
function sameItem(a: unknown, b: unknown, mergeKey: string): boolean {
  if (mergeKey === "") return sameKey(a, b);
  if (!isObject(a) || !isObject(b) || !Object.hasOwn(a, mergeKey) || !Object.hasOwn(b, mergeKey)) uncertain();
  return sameKey(a[mergeKey], b[mergeKey]);
}

/** Go's `==` on two decoded JSON values: two maps or two lists cannot be compared (the server panics). */
function sameKey(a: unknown, b: unknown): boolean {
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null && Array.isArray(a) === Array.isArray(b)) uncertain();
  return a === b;
}

/** strategicpatch's deduplicateScalars, which fills each duplicate's place with the last item (the order matters to field paths). */
function withoutDuplicates(items: unknown[]): unknown[] {
  const list = [...items];
  for (let i = 0; i < list.length - 1; i++) {
    for (let j = i + 1; j < list.length; j++) {
      if (list[i] !== list[j]) continue;
      list[j] = list[list.length - 1];
      list.length -= 1;
      j--;
    }
  }
  return list;
}

type Kind = "map" | "list" | "string" | "number" | "boolean" | "null";

function kindOf(value: unknown): Kind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (isObject(value)) return "map";
  return typeof value as "string" | "number" | "boolean";
}

/** The one kind of every item of both lists (the server fails on mixed kinds, nulls, lists of lists and two empty lists). */
function elementKind(...lists: ReadonlyArray<readonly unknown[]>): Kind {
  const kinds = new Set(lists.flat().map(kindOf));
  const [kind] = kinds;
  if (kinds.size !== 1 || kind === "null" || kind === "list") uncertain();
  return kind!;
}

function listOrUncertain(value: unknown): unknown[] {
  return Array.isArray(value) ? value : uncertain();
}

/**
 * A value the server takes as it is (added, or replacing): a directive left in it would reach the object as a
 * field, which is not what the patch means, so the result is not certain.
 */
function settled(value: unknown): unknown {
  if (Array.isArray(value)) value.forEach(settled);
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) key.startsWith("$") ? uncertain() : settled(item);
  return value;
}
