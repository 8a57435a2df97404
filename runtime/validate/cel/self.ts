// `self` and `oldSelf` as the server types them from the schema: int vs double, int-or-string, bytes, timestamps, durations, maps vs objects, nulls absent.
import { dateTimeValue, dateValue, durationValue } from "./time.js";

/** The part of an OpenAPI v3 schema node that decides a value's CEL type. */
export interface SchemaNode {
  type?: string;
  format?: string;
  nullable?: boolean;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
}

function integer(value: number): bigint {
  if (!Number.isInteger(value)) throw new Error(`${value} is not an integer`);
  return BigInt(value);
}

/** How a rule reads its values: `utcOnly` when it may print a timestamp (string()), which shows the offset Go keeps and a CEL timestamp here does not. */
export interface BindOptions {
  readonly utcOnly?: boolean;
}

/** String formats the server binds as other CEL types. */
const STRING_FORMATS: Record<string, (value: string, options: BindOptions) => unknown> = {
  byte: (value) => new Uint8Array(Buffer.from(value, "base64")),
  date: dateValue,
  "date-time": (value, options) => dateTimeValue(value, options.utcOnly ?? false),
  duration: durationValue,
};

function scalar(value: unknown, schema: SchemaNode, options: BindOptions): unknown {
  if (typeof value === "number") return schema.type === "integer" || schema["x-kubernetes-int-or-string"] ? integer(value) : value;
  if (typeof value !== "string" || schema.type !== "string") return value;
  const typed = schema.format ? STRING_FORMATS[schema.format] : undefined;
  return typed ? typed(value, options) : value;
}

function object(value: Record<string, unknown>, schema: SchemaNode, options: BindOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const extra = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined) continue; // a null field is absent to `has()` and to field selection
    const childSchema = schema.properties?.[key] ?? extra;
    out[key] = childSchema ? toCel(child, childSchema, options) : untyped(child);
  }
  return out;
}

/** A value no schema types (under x-kubernetes-preserve-unknown-fields), as the server decodes JSON: whole numbers are ints. */
function untyped(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(untyped);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, untyped(v)]));
  return value;
}

/** A JSON value as the CEL value the server binds for a schema node. */
export function toCel(value: unknown, schema: SchemaNode | undefined, options: BindOptions = {}): unknown {
  if (value === null || value === undefined) return value;
  if (!schema) return untyped(value);
  if (Array.isArray(value)) return value.map((item) => toCel(item, schema.items, options));
  if (typeof value === "object") return object(value as Record<string, unknown>, schema, options);
  return scalar(value, schema, options);
}
