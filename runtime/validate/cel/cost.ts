// The API server's static cost estimate of a CEL rule (cel-go's checker estimate with sizes from the schema), so a rule it would refuse is left to it.
// Where the server's estimate is not known here, this one errs low: it must never call a rule the server accepts over the limit.
import { parse } from "@bufbuild/cel";

type Expr = ReturnType<typeof parse>["expr"];

/** apiextensions' StaticEstimatedCostLimit: one expression, times how many times its node can occur. */
export const RULE_COST_LIMIT = 10_000_000;
/** apiextensions' StaticEstimatedCRDCostLimit: every rule of one CRD version together. */
export const CRD_COST_LIMIT = 100_000_000;
/** The request size the server bounds unbounded strings, lists and maps by. */
const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
const STRING_TRAVERSAL = 0.1;
const REGEX_LENGTH = 0.25;

/** The schema keywords the estimate reads. */
export interface CostSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  required?: string[];
  default?: unknown;
  maxLength?: number;
  maxItems?: number;
  maxProperties?: number;
  properties?: Record<string, CostSchema>;
  additionalProperties?: CostSchema | boolean;
  items?: CostSchema;
  "x-kubernetes-int-or-string"?: boolean;
}

/** The smallest JSON a value of this schema serializes to, as the server counts it (bounds unbounded lists and maps). */
export function minSerializedSize(schema: CostSchema): number {
  if (schema["x-kubernetes-int-or-string"]) return 1;
  switch (schema.type) {
    case "string":
      return { date: 12, "date-time": 22, duration: 4 }[schema.format ?? ""] ?? 2;
    case "boolean":
      return 4;
    case "number":
    case "integer":
      return 1;
    case "object": {
      if (isSchema(schema.additionalProperties)) return 2;
      const properties = schema.properties ?? {};
      return (schema.required ?? []).reduce((size, name) => {
        const property = properties[name];
        return property && property.default === undefined ? size + name.length + minSerializedSize(property) + 4 : size;
      }, 2);
    }
    default:
      return 2;
  }
}

/** How many values of this minimum size one request can carry: the server's bound for a rule under unbounded lists or maps. */
export function maxCardinality(minSize: number): number {
  return Math.floor(MAX_REQUEST_BYTES / (minSize + 1));
}

const isSchema = (value: unknown): value is CostSchema => typeof value === "object" && value !== null;

/** A value's CEL kind, the schema of its parts and its largest size (string length, list items, map entries). */
interface Shape {
  kind: "string" | "bytes" | "list" | "map" | "object" | "scalar" | "unknown";
  size: number;
  schema?: CostSchema;
  element?: Shape;
}

const UNKNOWN: Shape = { kind: "unknown", size: 0 };
const SCALAR: Shape = { kind: "scalar", size: 1 };

function stringSize(schema: CostSchema): number {
  if (schema.maxLength !== undefined) return Math.max(0, schema.maxLength) * 4;
  const values = (schema.enum ?? []).filter((value): value is string => typeof value === "string");
  return values.length > 0 ? Math.max(...values.map((value) => value.length)) : MAX_REQUEST_BYTES - 2;
}

/** The shape the server declares for a schema node (apiserver's SchemaDeclType). */
export function shapeOf(schema: CostSchema | undefined, resourceRoot = false): Shape {
  if (!schema) return UNKNOWN;
  if (schema["x-kubernetes-int-or-string"]) return { kind: "unknown", size: stringSize(schema) };
  switch (schema.type) {
    case "string":
      if (schema.format === "byte") return { kind: "bytes", size: schema.maxLength ?? MAX_REQUEST_BYTES - 2 };
      if (schema.format === "date" || schema.format === "date-time" || schema.format === "duration") return SCALAR;
      return { kind: "string", size: stringSize(schema) };
    case "array":
      return { kind: "list", size: schema.maxItems ?? Math.floor((MAX_REQUEST_BYTES - 2) / (minSerializedSize(schema.items ?? {}) + 1)), element: shapeOf(schema.items) };
    case "object":
      if (isSchema(schema.additionalProperties)) {
        const values = schema.additionalProperties;
        // A map's keys: v1.37.2 accepts matches() over the keys of 20 entries, so they are not sized as unbounded strings; taken as unsized (low).
        return { kind: "map", size: schema.maxProperties ?? Math.floor((MAX_REQUEST_BYTES - 2) / (minSerializedSize(values) + 6)), element: UNKNOWN, schema: values };
      }
      return { kind: "object", size: 1, schema: resourceRoot ? withTypeMeta(schema) : schema };
    case undefined:
      return UNKNOWN;
    default:
      return SCALAR;
  }
}

/** At a resource's root the server declares apiVersion, kind and metadata.name/generateName (as plain strings unless the schema types all four). */
function withTypeMeta(schema: CostSchema): CostSchema {
  const declared = schema.properties ?? {};
  const metadataFields = declared["metadata"]?.properties ?? {};
  const isText = (node: CostSchema | undefined) => node?.type === "string";
  if (isText(declared["kind"]) && isText(declared["apiVersion"]) && declared["metadata"]?.type === "object" && isText(metadataFields["name"]) && isText(metadataFields["generateName"])) return schema;
  const text: CostSchema = { type: "string" };
  const metadata: CostSchema = { type: "object", properties: { name: text, generateName: text } };
  return { ...schema, properties: { ...schema.properties, apiVersion: text, kind: text, metadata } };
}

const add = (...costs: number[]) => costs.reduce((sum, cost) => sum + cost, 0);
const times = (a: number, b: number) => (a === 0 || b === 0 ? 0 : a * b);
const factor = (size: number, perUnit: number) => Math.ceil(size * perUnit);

interface Estimate {
  cost: number;
  shape: Shape;
}

/**
 * Results the server cannot size (cel-go takes a call's string or list of no computed size as unbounded): `string()`
 * and a URL's parts; concatenating them is unbounded. Checked on v1.37.2 (test/e2e/cel-cost.test.ts); any other call
 * is taken as sized, so the estimate errs low.
 */
const UNSIZED_RESULTS: Record<string, Shape> = {
  string: { kind: "string", size: Number.POSITIVE_INFINITY },
  ...Object.fromEntries(["getScheme", "getHost", "getHostname", "getPort", "getEscapedPath"].map((name) => [name, { kind: "string", size: Number.POSITIVE_INFINITY }])),
};
/** Functions whose result is at most as long as their target. */
const SAME_SIZE_RESULTS = new Set(["lowerAscii", "upperAscii", "trim", "substring"]);
/** Kubernetes library functions that read their whole string target or argument once. */
const STRING_TRAVERSALS = new Set(["lowerAscii", "upperAscii", "trim", "substring", "replace", "split", "url", "isURL", "quantity", "isQuantity", "ip", "isIP", "cidr", "isCIDR", "semver", "isSemver", "indexOf", "lastIndexOf"]);

class Coster {
  private readonly scopes = new Map<string, Shape[]>();
  constructor(private readonly self: Shape) {}

  visit(expr: Expr | undefined): Estimate {
    if (!expr) return { cost: 0, shape: UNKNOWN };
    const kind = expr.exprKind;
    switch (kind.case) {
      case "constExpr":
        return { cost: 0, shape: constShape(kind.value.constantKind) };
      case "identExpr":
        return { cost: 1, shape: this.identShape(kind.value.name) };
      case "selectExpr": {
        const operand = this.visit(kind.value.operand);
        const shape = fieldShape(operand.shape, kind.value.field);
        if (kind.value.testOnly) return { cost: operand.cost, shape: SCALAR };
        return { cost: operand.cost + (operand.shape.kind === "object" || operand.shape.kind === "map" ? 1 : 0), shape };
      }
      case "listExpr": {
        const elements = kind.value.elements.map((element) => this.visit(element));
        return { cost: 10 + add(...elements.map((e) => e.cost)), shape: { kind: "list", size: elements.length, element: elements[0]?.shape ?? UNKNOWN } };
      }
      case "structExpr": {
        const parts = kind.value.entries.flatMap((entry) => [entry.keyKind.case === "mapKey" ? entry.keyKind.value : undefined, entry.value]);
        return { cost: 30 + add(...parts.map((part) => this.visit(part).cost)), shape: { kind: "map", size: kind.value.entries.length } };
      }
      case "comprehensionExpr":
        return this.comprehension(kind.value);
      case "callExpr":
        return this.call(kind.value.function, kind.value.target, kind.value.args);
      default:
        return { cost: 0, shape: UNKNOWN };
    }
  }

  private identShape(name: string): Shape {
    const scoped = this.scopes.get(name);
    if (scoped && scoped.length > 0) return scoped[scoped.length - 1]!;
    return name === "self" || name === "oldSelf" ? this.self : UNKNOWN;
  }

  private comprehension(c: Extract<Expr["exprKind"], { case: "comprehensionExpr" }>["value"]): Estimate {
    const range = this.visit(c.iterRange);
    const init = this.visit(c.accuInit);
    const rangeShape = range.shape;
    const element = rangeShape.kind === "list" || rangeShape.kind === "map" ? (rangeShape.element ?? UNKNOWN) : UNKNOWN;
    const accumulator = init.shape.kind === "scalar" ? SCALAR : UNKNOWN;
    const bound = [[c.iterVar, element], [c.accuVar, accumulator]] as const;
    for (const [name, shape] of bound) this.scopes.set(name, [...(this.scopes.get(name) ?? []), shape]);
    const loop = this.visit(c.loopCondition).cost + this.visit(c.loopStep).cost;
    for (const [name] of bound) this.scopes.get(name)!.pop();
    const result = this.visit(c.result);
    const iterations = rangeShape.kind === "list" || rangeShape.kind === "map" ? rangeShape.size : 0;
    return { cost: add(range.cost, init.cost, result.cost, times(iterations, loop)), shape: { kind: "list", size: iterations, element: UNKNOWN } };
  }

  private call(name: string, targetExpr: Expr | undefined, argExprs: Expr[]): Estimate {
    const target = targetExpr ? this.visit(targetExpr) : undefined;
    const args = argExprs.map((arg) => this.visit(arg));
    const argCost = add(target?.cost ?? 0, ...args.map((arg) => arg.cost));
    const [first, second] = target ? [target, args[0]] : [args[0], args[1]];
    const estimate = (cost: number, shape: Shape = SCALAR): Estimate => ({ cost: argCost + cost, shape });
    switch (name) {
      case "_&&_":
      case "_||_":
        return estimate(0);
      case "_?_:_":
        return { cost: args[0]!.cost + Math.max(args[1]!.cost, args[2]!.cost), shape: args[1]!.shape.size >= args[2]!.shape.size ? args[1]!.shape : args[2]!.shape };
      case "_[_]":
        return estimate(1, indexShape(args[0]!.shape));
      case "_+_":
        return concatenation(first!.shape, second!.shape, estimate);
      case "_==_":
      case "_!=_":
      case "_<_":
      case "_<=_":
      case "_>_":
      case "_>=_":
        return estimate(Math.max(1, factor(Math.min(first!.shape.size, second!.shape.size), STRING_TRAVERSAL)));
      case "@in":
        return estimate(args[1]!.shape.kind === "list" ? args[1]!.shape.size : 1);
      case "matches":
      case "find":
      case "findAll":
        return estimate(times(factor(first!.shape.size + 1, STRING_TRAVERSAL), factor(second?.shape.size ?? 0, REGEX_LENGTH)), name === "findAll" ? { kind: "list", size: 0 } : { kind: "string", size: first!.shape.size });
      case "contains":
        return estimate(times(factor(first!.shape.size, STRING_TRAVERSAL), factor(second?.shape.size ?? 0, STRING_TRAVERSAL)));
      case "startsWith":
      case "endsWith":
        return estimate(factor(second?.shape.size ?? 0, STRING_TRAVERSAL));
      case "split": // at most as many pieces as characters, each at most as long as the string
        return estimate(factor(first!.shape.size, STRING_TRAVERSAL), { kind: "list", size: first!.shape.size, element: { kind: "string", size: first!.shape.size } });
      case "join":
        return estimate(factor(times(first!.shape.size, first!.shape.element?.size ?? 0), STRING_TRAVERSAL), { kind: "string", size: times(first!.shape.size, first!.shape.element?.size ?? 0) + times(first!.shape.size, second?.shape.size ?? 0) });
    }
    const traversal = Math.max(1, STRING_TRAVERSALS.has(name) ? factor(first?.shape.size ?? 0, STRING_TRAVERSAL) : 0);
    const unsized = Object.hasOwn(UNSIZED_RESULTS, name) ? UNSIZED_RESULTS[name] : undefined;
    return estimate(traversal, unsized ?? (SAME_SIZE_RESULTS.has(name) && first ? first.shape : SCALAR));
  }
}

function concatenation(left: Shape, right: Shape, estimate: (cost: number, shape?: Shape) => Estimate): Estimate {
  const size = left.size + right.size;
  if (left.kind === "list" || right.kind === "list") return estimate(1, { kind: "list", size, element: left.element ?? right.element ?? UNKNOWN });
  if (left.kind === "string" || left.kind === "bytes" || right.kind === "string" || right.kind === "bytes") return estimate(factor(size, STRING_TRAVERSAL), { kind: left.kind === "bytes" ? "bytes" : "string", size });
  return estimate(1);
}

type Constant = Extract<Expr["exprKind"], { case: "constExpr" }>["value"]["constantKind"];
function constShape(constant: Constant): Shape {
  if (constant.case === "stringValue") return { kind: "string", size: [...constant.value].length };
  if (constant.case === "bytesValue") return { kind: "bytes", size: constant.value.length };
  return SCALAR;
}

function fieldShape(operand: Shape, field: string): Shape {
  if (operand.kind === "object") return shapeOf(operand.schema?.properties?.[field]);
  if (operand.kind === "map") return shapeOf(operand.schema);
  return UNKNOWN;
}

function indexShape(container: Shape): Shape {
  if (container.kind === "list") return container.element ?? UNKNOWN;
  if (container.kind === "map") return shapeOf(container.schema);
  return UNKNOWN;
}

/**
 * The server's estimated worst-case cost of one expression on a value of this schema (before multiplying by how
 * often the node can occur). `resourceRoot`: the rule sits on the resource's root (apiVersion/kind/metadata typed).
 * Throws where the expression does not parse (callers have already refused such rules).
 */
export function estimateCelCost(source: string, schema: CostSchema | undefined, resourceRoot = false): number {
  return new Coster(shapeOf(schema, resourceRoot)).visit(parse(source).expr).cost;
}

/** The cost the server weighs a rule at: its own cost times the times its node can occur in one object. */
export function weightedRuleCost(cost: number, cardinality: number | undefined, schema: CostSchema | undefined): number {
  return times(cost, cardinality ?? maxCardinality(minSerializedSize(schema ?? {})));
}

/** How a cost reads in a report (an unbounded one as such). */
export function formatCost(cost: number): string {
  return Number.isFinite(cost) && cost < 2 ** 64 ? Math.round(cost).toString() : "unbounded";
}
