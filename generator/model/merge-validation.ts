// Validators for several targets: one schema per type that an object passes only if it passes on every target, as `kubetyped validate` judges several.
import type { SchemaNode } from "../../runtime/validate/index.js";
import type { ValidationModel } from "./ir.js";

type Node = Record<string, unknown>;

/**
 * The two targets' validation data as one: each type's schema is the conjunction of both (a type one target
 * lacks keeps the other's), and the rules either leaves to the server are named once. Deterministic for
 * targets in canonical order (what one target alone has keeps its place; `allOf` parts go in target order).
 */
export function mergeValidation(a: ValidationModel | undefined, b: ValidationModel | undefined): ValidationModel | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  const modules = new Map(a.modules);
  for (const [key, schemas] of b.modules) {
    const left = modules.get(key);
    modules.set(key, left === undefined ? schemas : mergeRecords(left, schemas, mergeSchema));
  }
  return { modules, leftToServer: [...new Set([...a.leftToServer, ...b.leftToServer])] };
}

/** Both records' entries; one both hold is merged. `Object.fromEntries`: a name such as `__proto__` stays data. */
function mergeRecords<T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>, merge: (x: T, y: T) => T): Record<string, T> {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return Object.fromEntries(names.map((name) => [name, !Object.hasOwn(b, name) ? a[name]! : !Object.hasOwn(a, name) ? b[name]! : merge(a[name]!, b[name]!)]));
}

/**
 * Keywords that only read together: a bound and its exclusiveness, a type and what widens or refines it. When
 * the targets differ in any keyword of a group, each target's group goes into its own `allOf` part.
 */
const GROUPS: ReadonlyArray<readonly string[]> = [
  ["type", "format", "x-kubernetes-int-or-string"],
  ["minimum", "exclusiveMinimum"],
  ["maximum", "exclusiveMaximum"],
  ["x-kubernetes-list-type", "x-kubernetes-list-map-keys"],
];
const GROUPED = new Set(GROUPS.flat());

/** Keywords whose conjunction is one keyword: the stricter bound, every required field, every rule. */
const COMBINED: Readonly<Record<string, (x: unknown, y: unknown) => unknown>> = {
  maxLength: (x, y) => Math.min(x as number, y as number),
  maxItems: (x, y) => Math.min(x as number, y as number),
  maxProperties: (x, y) => Math.min(x as number, y as number),
  minLength: (x, y) => Math.max(x as number, y as number),
  minItems: (x, y) => Math.max(x as number, y as number),
  minProperties: (x, y) => Math.max(x as number, y as number),
  required: (x, y) => unionOf(x as unknown[], y as unknown[]),
  "x-kubernetes-validations": (x, y) => unionOf(x as unknown[], y as unknown[]),
  allOf: (x, y) => unionOf(x as unknown[], y as unknown[]),
  // The values every target supports: "supported values" then lists what works on all.
  enum: (x, y) => (x as unknown[]).filter((value) => (y as unknown[]).some((other) => same(value, other))),
  properties: (x, y) => mergeRecords(x as Record<string, SchemaNode>, y as Record<string, SchemaNode>, mergeSchema),
  items: (x, y) => mergeSchema(x as SchemaNode, y as SchemaNode),
};

/** One schema node that a value passes only if it passes both `a` and `b`. */
export function mergeSchema(a: SchemaNode, b: SchemaNode): SchemaNode {
  if (same(a, b)) return a;
  // A `$ref` node's other keywords are not read (the walker follows the reference): the two stay whole.
  if (a.$ref !== undefined || b.$ref !== undefined) return { allOf: [a, b] };
  const x = a as Node;
  const y = b as Node;
  const node: Node = {};
  const parts: [Node, Node] = [{}, {}];
  for (const key of [...new Set([...Object.keys(x), ...Object.keys(y)])]) {
    if (GROUPED.has(key)) continue;
    mergeKeyword(key, x[key], y[key], node, parts);
  }
  for (const group of GROUPS) mergeGroup(group, x, y, node, parts);
  if (Object.keys(parts[0]).length + Object.keys(parts[1]).length > 0) {
    // A part checks its own type: null passes it only where both targets take null.
    const nullable = node["nullable"] === true ? { nullable: true } : {};
    node["allOf"] = [...((node["allOf"] as SchemaNode[] | undefined) ?? []), { ...parts[0], ...nullable }, { ...parts[1], ...nullable }];
  }
  return node as SchemaNode;
}

function mergeKeyword(key: string, x: unknown, y: unknown, node: Node, parts: [Node, Node]): void {
  // null passes only where both take it; a default or the pruning of unknown fields constrains nothing.
  if (key === "nullable") {
    if (x === true && y === true) node[key] = true;
  } else if (x === undefined || y === undefined || same(x, y)) node[key] = x ?? y;
  else if (key === "additionalProperties" && typeof x === "object" && typeof y === "object") node[key] = mergeSchema(x as SchemaNode, y as SchemaNode);
  else if (COMBINED[key] !== undefined) node[key] = COMBINED[key](x, y);
  else {
    parts[0][key] = x;
    parts[1][key] = y;
  }
}

/** A group both targets spell alike stays on the node; else each target's spelling goes into its part. */
function mergeGroup(group: readonly string[], x: Node, y: Node, node: Node, parts: [Node, Node]): void {
  const present = group.filter((key) => x[key] !== undefined || y[key] !== undefined);
  const target = present.every((key) => same(x[key], y[key])) ? [node, node] : parts;
  for (const key of present) {
    if (x[key] !== undefined) target[0]![key] = x[key];
    if (y[key] !== undefined) target[1]![key] = y[key];
  }
}

function unionOf(x: readonly unknown[], y: readonly unknown[]): unknown[] {
  return [...x, ...y.filter((value) => !x.some((other) => same(value, other)))];
}

/** Equal as data: pruned schemas list their keywords in one order, so their JSON is equal when they are. */
function same(x: unknown, y: unknown): boolean {
  return x === y || (typeof x === "object" && typeof y === "object" && JSON.stringify(x) === JSON.stringify(y));
}
