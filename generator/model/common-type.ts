// The form of a schema that two targets both accept: the narrower of two types, or none when they share no value.
import { describeType } from "./summary.js";
import type { NamedType, ObjectSchema, PropertyModel, SchemaType, TypeRef } from "./ir.js";

/** Looks named types up on each side, so two differently named object types can meet in their common fields. */
export interface CommonTypeContext {
  typeOfA(ref: TypeRef): NamedType | undefined;
  typeOfB(ref: TypeRef): NamedType | undefined;
}

/** Structural comparison of differently named types stops this deep (recursive schemas such as JSONSchemaProps). */
const MAX_STRUCTURAL_DEPTH = 6;

/**
 * The type whose values both `a` and `b` accept (their intersection), so a program built on it sends nothing
 * either server refuses: `"A" | "B" | "C"` and `"A" | "B"` give `"A" | "B"`; a plain string and an enum give
 * the enum; int-or-string and string give string; `unknown` gives the other side; a field required by either
 * is required; nullable only when both are. Undefined when no value fits both (a string and a number, two
 * different named types). Symmetric, except that `b`'s descriptions win (callers pass the newer target second).
 */
export function commonType(a: SchemaType, b: SchemaType, context?: CommonTypeContext): SchemaType | undefined {
  return common(a, b, context === undefined ? undefined : { ...context, depth: 0 });
}

type Context = (CommonTypeContext & { depth: number }) | undefined;

function common(a: SchemaType, b: SchemaType, context: Context): SchemaType | undefined {
  const bare = commonBare(a, b, context);
  if (bare === undefined) return undefined;
  const { nullable: _nullable, ...rest } = bare;
  return a.nullable === true && b.nullable === true ? { ...rest, nullable: true } : (rest as SchemaType);
}

function commonBare(a: SchemaType, b: SchemaType, context: Context): SchemaType | undefined {
  if (a.kind === "unknown") return b;
  if (b.kind === "unknown") return a;
  if (a.kind === "union" || b.kind === "union") return commonUnion(a, b, context);
  if (a.kind === "ref" || b.kind === "ref") return commonRef(a, b, context);
  if (a.kind !== b.kind) return commonOfKinds(a, b) ?? commonOfKinds(b, a);
  switch (a.kind) {
    case "literal":
      return b.kind === "literal" && a.value === b.value ? a : undefined;
    case "string":
      return b.kind === "string" ? commonString(a, b) : undefined;
    case "number":
      return b.kind === "number" ? commonNumber(a, b) : undefined;
    case "array":
      return b.kind === "array" ? commonArray(a, b, context) : undefined;
    case "object":
      return b.kind === "object" ? commonObject(a, b, context) : undefined;
    default:
      // boolean, intOrString: nothing more to compare.
      return a;
  }
}

/**
 * The same named type on both sides stays a reference (the type itself is intersected on its own). Two
 * different ones (a type renamed between releases: `ResourceRequirements` → `VolumeResourceRequirements`)
 * meet in an inline object of their common fields, when both are objects.
 */
function commonRef(a: SchemaType, b: SchemaType, context: Context): SchemaType | undefined {
  if (a.kind === "ref" && b.kind === "ref" && a.target.module === b.target.module && a.target.name === b.target.name) return a;
  if (context === undefined || context.depth >= MAX_STRUCTURAL_DEPTH) return undefined;
  const left = a.kind === "ref" ? context.typeOfA(a.target)?.type : a;
  const right = b.kind === "ref" ? context.typeOfB(b.target)?.type : b;
  if (left === undefined || right === undefined || left.kind === "ref" || right.kind === "ref") return undefined;
  return common(left, right, { ...context, depth: context.depth + 1 });
}

/** Different kinds that still share values: `a` is the narrower of the two. */
function commonOfKinds(a: SchemaType, b: SchemaType): SchemaType | undefined {
  if (a.kind === "literal" && b.kind === "string") return b.enum === undefined || b.enum.includes(a.value) ? a : undefined;
  if ((a.kind === "string" || a.kind === "number") && b.kind === "intOrString") return a;
  return undefined;
}

type StringSchema = Extract<SchemaType, { kind: "string" }>;
type NumberSchema = Extract<SchemaType, { kind: "number" }>;
type ArraySchema = Extract<SchemaType, { kind: "array" }>;

function commonString(a: StringSchema, b: StringSchema): SchemaType | undefined {
  const values = commonEnum(a.enum, b.enum);
  if (values === null) return undefined;
  return { kind: "string", ...sameValue("format", a.format, b.format), ...(values === undefined ? {} : { enum: values }) };
}

function commonNumber(a: NumberSchema, b: NumberSchema): SchemaType | undefined {
  const values = commonEnum(a.enum, b.enum);
  if (values === null) return undefined;
  return { kind: "number", integer: a.integer || b.integer, ...sameValue("format", a.format, b.format), ...(values === undefined ? {} : { enum: values }) };
}

/** Values both enums allow (in `a`'s order); one side's when only it has one; null when they share none. */
function commonEnum<T extends string | number>(a: T[] | undefined, b: T[] | undefined): T[] | undefined | null {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const shared = a.filter((value) => b.includes(value));
  return shared.length === 0 ? null : shared;
}

function commonArray(a: ArraySchema, b: ArraySchema, context: Context): SchemaType | undefined {
  const items = common(a.items, b.items, context);
  if (items === undefined) return undefined;
  const keys = a.listMapKeys !== undefined && b.listMapKeys !== undefined && a.listMapKeys.join("\u0000") === b.listMapKeys.join("\u0000") ? { listMapKeys: a.listMapKeys } : {};
  return { kind: "array", items, ...sameValue("listType", a.listType, b.listType), ...keys };
}

/** Properties both have, each of their common type (those with none are left out); extra keys only if both allow them. */
function commonObject(a: ObjectSchema, b: ObjectSchema, context: Context): ObjectSchema {
  const byName = new Map(b.properties.map((property) => [property.name, property]));
  const properties: PropertyModel[] = [];
  for (const left of a.properties) {
    const right = byName.get(left.name);
    const type = right === undefined ? undefined : common(left.type, right.type, context);
    if (right === undefined || type === undefined) continue;
    properties.push(commonProperty(left, right, type));
  }
  const additional =
    a.additionalProperties !== undefined && b.additionalProperties !== undefined ? common(a.additionalProperties, b.additionalProperties, context) : undefined;
  return {
    kind: "object",
    properties,
    ...(additional === undefined ? {} : { additionalProperties: additional }),
    ...(a.preserveUnknownFields === true && b.preserveUnknownFields === true ? { preserveUnknownFields: true } : {}),
    ...(a.embeddedResource === true && b.embeddedResource === true ? { embeddedResource: true } : {}),
    ...sameValue("mapType", a.mapType, b.mapType),
  };
}

function commonProperty(a: PropertyModel, b: PropertyModel, type: SchemaType): PropertyModel {
  const description = b.description ?? a.description;
  const deprecated = b.deprecated ?? a.deprecated;
  return {
    name: a.name,
    // Required by either server: a program must send it to satisfy both.
    required: a.required || b.required,
    type,
    ...(description === undefined ? {} : { description }),
    ...(deprecated === undefined ? {} : { deprecated }),
  };
}

/** A union against anything: the variants with a common type with the other side (compared as text when both are unions). */
function commonUnion(a: SchemaType, b: SchemaType, context: Context): SchemaType | undefined {
  const left = a.kind === "union" ? a.variants : [a];
  const right = b.kind === "union" ? b.variants : [b];
  const variants: SchemaType[] = [];
  const seen = new Set<string>();
  for (const variant of left) {
    for (const other of right) {
      const shared = common(variant, other, context);
      const text = shared === undefined ? undefined : describeType(shared);
      if (shared === undefined || seen.has(text!)) continue;
      seen.add(text!);
      variants.push(shared);
    }
  }
  if (variants.length === 0) return undefined;
  return variants.length === 1 ? variants[0] : { kind: "union", variants };
}

function sameValue<K extends string, V>(key: K, a: V | undefined, b: V | undefined): { [P in K]?: V } {
  return (a !== undefined && a === b ? { [key]: a } : {}) as { [P in K]?: V };
}
