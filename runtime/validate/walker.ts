// The interpreter: one object checked against schema data as the API server checks a custom resource (kube-openapi, then list types, then CEL).
import { compileCelRule, type CompiledCelRule } from "./cel/index.js";
import { combinatorErrors, type BranchResult } from "./combinators.js";
import { celFieldError, fieldError, type FieldError, type FieldErrorType } from "./field-error.js";
import { matchesFormat, serverFormat } from "./formats.js";
import { messages } from "./messages.js";
import { translatePattern } from "./regexp.js";
import type { SchemaNode } from "../api/validation-schema.js";

/** How much of the object the walk may assume it sees. */
export interface WalkOptions {
  /** The object before this change: transition rules (`oldSelf`) run only with it. */
  old?: unknown;
  /**
   * A server-side apply configuration: only the fields it owns, merged with others' on the server. Checks that
   * need the whole object (`required`, `minItems`, `minProperties`, list uniqueness) are left to the server.
   */
  partial?: boolean;
  /**
   * The object may already be on the server (an update, or an apply without `old`) but its old state is not given:
   * transition rules are left to the server, `optionalOldSelf` ones too (they are not a create's).
   */
  oldUnknown?: boolean;
  /** A branch of anyOf/oneOf/not, walked over a value already pruned and defaulted by the main walk. */
  branch?: boolean;
}

export type ResolveRef = (ref: string) => SchemaNode;

const patterns = new Map<string, RegExp | null>();
/** A compiled rule, and whether it runs on create too (`optionalOldSelf`: `oldSelf` is then an empty optional). */
interface NodeRule {
  compiled: CompiledCelRule;
  onCreate: boolean;
}
const celRules = new WeakMap<SchemaNode, NodeRule[]>();

/** Walks `value` against `schema`, collecting the field errors the server would give, in its words. */
export class SchemaWalker {
  readonly errors: FieldError[] = [];
  /** Violations of `x-kubernetes-validations`: reported only when no schema error blocks them (see `finish`). */
  readonly ruleErrors: FieldError[] = [];
  /** Whether the schema walked has any `x-kubernetes-validations`. */
  hasRules = false;
  /** Schema nodes walked: how kube-openapi ranks failing branches. */
  visits = 0;
  /** Whether a check passed only because the client leaves it to the server (so `not` and `oneOf` cannot rely on it). */
  unsure = false;
  constructor(
    private readonly resolve: ResolveRef,
    private readonly options: WalkOptions,
  ) {}

  walk(schema: SchemaNode, value: unknown, path: string, old: unknown): void {
    const node = this.deref(schema);
    this.visits++;
    for (const part of node.allOf ?? []) this.walk(part, value, path, old);
    if (value === null && node.nullable) return;
    if (!this.checkType(node, value, path)) return;
    if (node.anyOf !== undefined || node.oneOf !== undefined || node.not !== undefined) this.checkCombinators(node, value, path);
    this.checkCommon(node, value, path);
    if (typeof value === "string") this.checkString(node, value, path);
    else if (typeof value === "number") this.checkNumber(node, value, path);
    else if (Array.isArray(value)) this.checkArray(node, value, path, old);
    else if (isObject(value)) this.checkObject(node, value, path, old);
    this.checkRules(node, value, path, old);
  }

  private deref(schema: SchemaNode): SchemaNode {
    let node = schema;
    for (let hops = 0; node.$ref !== undefined && hops < 64; hops++) node = this.resolve(node.$ref);
    if (node.allOf?.length === 1 && node.allOf[0]!.$ref !== undefined && node.type === undefined) {
      const { allOf: _, ...rest } = node;
      return { ...this.deref(node.allOf[0]!), ...rest };
    }
    return node;
  }

  private add(type: FieldErrorType, path: string, value: unknown, detail?: string): void {
    this.errors.push(fieldError(type, path, value, detail));
  }

  /** `type` (and int-or-string): a value of another type gets one error and no further checks. */
  private checkType(node: SchemaNode, value: unknown, path: string): boolean {
    const actual = jsonType(value);
    if (node["x-kubernetes-int-or-string"]) {
      if (actual === "integer" || actual === "string") return true;
      this.add("FieldValueTypeInvalid", path, actual, messages.type(path, "integer,string", actual));
      return false;
    }
    if (node.type === undefined || actual === node.type || (node.type === "number" && actual === "integer")) return true;
    // kube-openapi takes a list for a `format: byte` string (Go's []byte); a live v1.37 stores `request: ["a"]` as given.
    if (node.type === "string" && node.format === "byte" && actual === "array") return false;
    if (typeof value === "number") this.checkRange(node, value, path);
    // A value that is neither a string nor a list is named by its format where the schema has one: `must be of type int32: "float64"`.
    const format = serverFormat(node.type, node.format);
    if (format !== undefined && actual !== "string" && actual !== "array") this.add("FieldValueTypeInvalid", path, goFormat(value), messages.type(path, format, goFormat(value)));
    else this.add("FieldValueTypeInvalid", path, actual, messages.type(path, node.type, actual));
    return false;
  }

  /** kube-openapi's range check of a number, reported without a path: a fraction or overflow of `integer` (int64, or int32), a float32 overflow of `format: float`. */
  private checkRange(node: SchemaNode, value: number, path: string): void {
    const format = serverFormat(node.type, node.format);
    const fits =
      node.type === "integer"
        ? jsonType(value) === "integer" && (format !== "int32" || (value >= -(2 ** 31) && value < 2 ** 31))
        : node.type !== "number" || format !== "float" || Number.isFinite(Math.fround(value));
    if (!fits) this.add("FieldValueInvalid", "<nil>", "", messages.outOfRange(path, node.type!, format));
  }

  /** anyOf, oneOf and not, each branch walked alone over the value as the server sees it. */
  private checkCombinators(node: SchemaNode, value: unknown, path: string): void {
    const view = this.options.branch ? value : serverView(node, value, this.deref.bind(this));
    const branch = (schema: SchemaNode): BranchResult => {
      const walker = new SchemaWalker(this.resolve, { ...this.options, branch: true });
      walker.walk(schema, view, path, undefined);
      return walker;
    };
    const { errors, unsure } = combinatorErrors(node, path, branch, this.options.partial === true);
    this.errors.push(...errors);
    if (unsure) this.unsure = true;
  }

  private checkCommon(node: SchemaNode, value: unknown, path: string): void {
    if (node.enum === undefined || node.enum.some((allowed) => deepEqual(allowed, value))) return;
    const supported = node.enum.map((allowed) => JSON.stringify(typeof allowed === "string" ? allowed : JSON.stringify(allowed)));
    this.add("FieldValueNotSupported", path, value, `supported values: ${supported.join(", ")}`);
  }

  /** maxLength, minLength, pattern: the first that fails is the one reported (kube-openapi's string validator); then the format. */
  private checkString(node: SchemaNode, value: string, path: string): void {
    const length = [...value].length;
    if (node.maxLength !== undefined && length > node.maxLength) this.add("FieldValueTooLong", path, value, `may not be more than ${countOf(node.maxLength, "byte")}`);
    else if (node.minLength !== undefined && length < node.minLength) this.add("FieldValueInvalid", path, value, messages.minLength(path, node.minLength));
    else if (node.pattern !== undefined && compiledPattern(node.pattern)?.test(value) === false) {
      this.add("FieldValueInvalid", path, value, messages.pattern(path, node.pattern));
    }
    if (node.pattern !== undefined && compiledPattern(node.pattern) === null) this.unsure = true;
    const format = node.format === undefined ? true : matchesFormat(node.type, node.format, value);
    if (format === false) this.add("FieldValueTypeInvalid", path, value, messages.format(path, node.format!, value));
    if (format === "unsure") this.unsure = true;
  }

  private checkNumber(node: SchemaNode, value: number, path: string): void {
    this.checkRange(node, value, path);
    if (node.multipleOf !== undefined) this.checkMultipleOf(node.multipleOf, value, path);
    if (node.maximum !== undefined && (node.exclusiveMaximum ? value >= node.maximum : value > node.maximum)) {
      this.add("FieldValueInvalid", path, value, messages.maximum(path, node.maximum, node.exclusiveMaximum === true));
    }
    if (node.minimum !== undefined && (node.exclusiveMinimum ? value <= node.minimum : value < node.minimum)) {
      this.add("FieldValueInvalid", path, value, messages.minimum(path, node.minimum, node.exclusiveMinimum === true));
    }
  }

  /**
   * kube-openapi checks a whole number against the factor cut to an integer (0.5 becomes 0, refused as "must be
   * positive"), a fraction against the factor itself.
   */
  private checkMultipleOf(multipleOf: number, value: number, path: string): void {
    const factor = Number.isInteger(value) ? Math.trunc(multipleOf) : multipleOf;
    if (factor <= 0) this.add("FieldValueInvalid", path, factor, messages.multipleOfNotPositive(path, factor));
    else if (!isMultiple(value, factor)) this.add("FieldValueInvalid", path, value, messages.multipleOf(path, factor));
  }

  private checkArray(node: SchemaNode, value: readonly unknown[], path: string, old: unknown): void {
    if (!this.options.partial && node.minItems !== undefined && value.length < node.minItems) {
      this.add("FieldValueInvalid", path, value.length, messages.minItems(path, node.minItems));
    }
    if (node.maxItems !== undefined && value.length > node.maxItems) this.add("FieldValueTooMany", path, value.length, `must have at most ${countOf(node.maxItems, "item")}`);
    const oldItems = correlateItems(node, value, old);
    if (node.items !== undefined) value.forEach((item, index) => this.walk(node.items!, item, `${path}[${index}]`, oldItems[index]));
    if (!this.options.partial) this.checkListType(node, value, path);
  }

  /** `x-kubernetes-list-type`: a set holds no value twice, a map no key tuple twice (the later ones are the duplicates). */
  private checkListType(node: SchemaNode, value: readonly unknown[], path: string): void {
    const listType = node["x-kubernetes-list-type"];
    if (listType !== "set" && listType !== "map") return;
    const keys = node["x-kubernetes-list-map-keys"] ?? [];
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const identity = listType === "set" ? item : mapKeyOf(item, keys, node.items === undefined ? undefined : this.deref(node.items));
      if (identity === undefined) return;
      const text = canonicalJson(identity);
      if (seen.has(text)) this.add("FieldValueDuplicate", `${path}[${index}]`, identity);
      seen.add(text);
    });
  }

  private checkObject(node: SchemaNode, value: Record<string, unknown>, path: string, old: unknown): void {
    const { present, defaulted } = this.options.branch ? { present: value, defaulted: new Set<string>() } : withDefaults(node, value, this.deref.bind(this));
    const size = Object.keys(value).length;
    if (!this.options.partial && node.minProperties !== undefined && size < node.minProperties) {
      this.add("FieldValueInvalid", path, size, messages.minProperties(path, node.minProperties));
    }
    if (node.maxProperties !== undefined && size > node.maxProperties) this.add("FieldValueTooMany", path, size, `must have at most ${countOf(node.maxProperties, "item")}`);
    if (!this.options.partial) {
      for (const name of node.required ?? []) if (!(name in present)) this.add("FieldValueRequired", child(path, name), undefined);
    }
    if (node["x-kubernetes-embedded-resource"]) this.checkEmbedded(present, path);
    const oldObject = isObject(old) ? old : undefined;
    for (const [name, item] of Object.entries(present)) {
      if (defaulted.has(name)) continue;
      const property = node.properties?.[name] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined);
      if (property !== undefined) this.walk(property, item, child(path, name), oldObject?.[name]);
    }
  }

  /** `x-kubernetes-embedded-resource`: apiVersion and kind must be there (apiextensions' objectmeta validation). */
  private checkEmbedded(value: Record<string, unknown>, path: string): void {
    for (const name of ["apiVersion", "kind"]) {
      const field = child(path, name);
      if (!(name in value) && !this.errors.some((error) => error.field === field && error.type === "FieldValueRequired")) this.add("FieldValueRequired", field, undefined);
    }
  }

  /** `x-kubernetes-validations`, each compiled once per schema node; a rule the evaluator cannot compile is the server's. */
  private checkRules(node: SchemaNode, value: unknown, path: string, old: unknown): void {
    const rules = node["x-kubernetes-validations"];
    if (rules === undefined) return;
    let compiled = celRules.get(node);
    if (compiled === undefined) {
      compiled = rules.flatMap((rule) => {
        const result = compileCelRule(rule, node);
        return result.ok ? [{ compiled: result.rule, onCreate: !result.rule.isTransition || rule.optionalOldSelf === true }] : [];
      });
      celRules.set(node, compiled);
    }
    for (const { compiled: rule, onCreate } of compiled) {
      if (rule.isTransition && !this.transitionCheckable(value)) continue;
      const known = this.options.old !== undefined && old !== undefined;
      if (!known && !onCreate) continue;
      const violation = rule.isTransition ? rule.check(value, known ? old : undefined) : rule.check(value);
      if (violation === undefined) continue;
      const at = violation.fieldPath ? joinFieldPath(path, violation.fieldPath) : path;
      this.ruleErrors.push(celFieldError(violation.reason as FieldErrorType, at, value, violation.message));
    }
  }

  /**
   * Whether a transition rule on `value` can be judged here: not without the old object of one that may exist, and in
   * an apply configuration only on a scalar (which the apply sets as given; an object or list merges with others' fields).
   */
  private transitionCheckable(value: unknown): boolean {
    if (this.options.oldUnknown && this.options.old === undefined) return false;
    return !this.options.partial || typeof value !== "object" || value === null;
  }
}

/** Error types after which the server does not evaluate CEL rules (apiextensions' `hasBlockingErr`). */
const BLOCKING: ReadonlySet<FieldErrorType> = new Set(["FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany", "FieldValueTypeInvalid"]);

/** The schema errors, then the rules' errors, or instead of them the server's note that they were not checked. */
export function finish(walker: SchemaWalker): FieldError[] {
  if (!walker.hasRules) return walker.errors;
  if (walker.errors.some((error) => BLOCKING.has(error.type))) {
    return [...walker.errors, fieldError("FieldValueInvalid", "<nil>", null, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")];
  }
  return [...walker.errors, ...walker.ruleErrors];
}

function child(path: string, name: string): string {
  return path === "" ? name : `${path}.${name}`;
}

/** A rule's `fieldPath` (`.spec.x`, `['a.b']`) under the node's own path. */
function joinFieldPath(path: string, fieldPath: string): string {
  const relative = fieldPath.startsWith(".") ? fieldPath.slice(1) : fieldPath;
  if (path === "") return relative;
  return relative.startsWith("[") ? `${path}${relative}` : `${path}.${relative}`;
}

/**
 * The object as the server validates it: `null` in a field or map value that is not nullable is pruned, and a missing field
 * with a `default` takes it (defaulting runs before validation). Defaulted fields are not checked further: a
 * built-in type's published default is its Go zero value (`{}` for a Time that is sent as null), not a value.
 */
function withDefaults(
  node: SchemaNode,
  value: Record<string, unknown>,
  deref: (schema: SchemaNode) => SchemaNode,
): { present: Record<string, unknown>; defaulted: Set<string> } {
  const present: Record<string, unknown> = {};
  const defaulted = new Set<string>();
  for (const [name, item] of Object.entries(value)) {
    // A map's values are pruned as properties are: a null value in `{ a: null }` is dropped, not refused.
    const property = node.properties?.[name] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined);
    if (item === null && property !== undefined && !deref(property).nullable && !property.nullable) continue;
    present[name] = item;
  }
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    if (name in present) continue;
    const fallback = property.default ?? deref(property).default;
    if (fallback === undefined) continue;
    present[name] = fallback;
    defaulted.add(name);
  }
  return { present, defaulted };
}

/** The key tuple of a list-map item, or undefined when the item is not an object with every key (left to the server). */
function mapKeyOf(item: unknown, keys: readonly string[], itemSchema: SchemaNode | undefined): Record<string, unknown> | undefined {
  if (!isObject(item)) return undefined;
  const identity: Record<string, unknown> = {};
  for (const key of keys) {
    const value = item[key] ?? itemSchema?.properties?.[key]?.default;
    if (value === undefined) return undefined;
    identity[key] = value;
  }
  return identity;
}

/** Old items paired with new ones the way the server correlates them for transition rules: list-maps by key, sets by value. */
function correlateItems(node: SchemaNode, value: readonly unknown[], old: unknown): unknown[] {
  if (!Array.isArray(old)) return [];
  const listType = node["x-kubernetes-list-type"];
  if (listType === "set") return value.map((item) => old.find((candidate) => deepEqual(candidate, item)));
  if (listType !== "map") return [];
  const keys = node["x-kubernetes-list-map-keys"] ?? [];
  const keyText = (item: unknown) => canonicalJson(mapKeyOf(item, keys, undefined) ?? null);
  return value.map((item) => old.find((candidate) => keyText(candidate) === keyText(item)));
}

function compiledPattern(pattern: string): RegExp | null {
  let regexp = patterns.get(pattern);
  if (regexp === undefined) {
    const translated = translatePattern(pattern);
    regexp = translated.ok ? translated.regexp : null;
    patterns.set(pattern, regexp);
  }
  return regexp;
}

/** The OpenAPI type of a decoded JSON value (`integer` for whole numbers that fit an int64, as Go's decoder makes them; a larger one is a float64). */
export function jsonType(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? "integer" : "number";
  return typeof value === "object" ? "object" : typeof value;
}

/** The format kube-openapi infers from a decoded value's Go type, as its type errors name it: `int64`, `float64`, or nothing. */
function goFormat(value: unknown): string {
  if (typeof value !== "number") return "";
  return jsonType(value) === "integer" ? "int64" : "float64";
}

/** The value as the server validates it after pruning nulls and defaulting, all the way down: what anyOf/oneOf/not branches see. */
function serverView(schema: SchemaNode, value: unknown, deref: (schema: SchemaNode) => SchemaNode): unknown {
  const node = deref(schema);
  if (Array.isArray(value)) return node.items === undefined ? value : value.map((item) => serverView(node.items!, item, deref));
  if (!isObject(value)) return value;
  const { present } = withDefaults(node, value, deref);
  for (const [name, item] of Object.entries(present)) {
    const property = node.properties?.[name] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined);
    if (property !== undefined) present[name] = serverView(property, item, deref);
  }
  return present;
}

/** `1 byte`, `2 bytes`: apimachinery's TooLong and TooMany words. */
function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function isMultiple(value: number, factor: number): boolean {
  const quotient = value / factor;
  return Math.abs(quotient - Math.round(quotient)) < 1e-9;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
