// `self` and `oldSelf` as the server types them from the schema: int vs double, int-or-string, bytes, maps vs objects, nulls absent.
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

/** String formats the server turns into CEL types kubetyped does not build (timestamps, durations). */
const UNTYPED_FORMATS = new Set(["date", "date-time", "duration"]);

/** Why a schema's values cannot be typed as the server types them, or undefined when they can. */
export function untypedReason(schema: SchemaNode | undefined, depth = 0): string | undefined {
  if (!schema || depth > 64) return undefined;
  if (schema.type === "string" && schema.format && UNTYPED_FORMATS.has(schema.format)) return `string format "${schema.format}" is a CEL ${schema.format === "duration" ? "duration" : "timestamp"} on the server`;
  const children = [...Object.values(schema.properties ?? {}), schema.items, typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined];
  for (const child of children) {
    const reason = untypedReason(child, depth + 1);
    if (reason) return reason;
  }
  return undefined;
}

function integer(value: number): bigint {
  if (!Number.isInteger(value)) throw new Error(`${value} is not an integer`);
  return BigInt(value);
}

function scalar(value: unknown, schema: SchemaNode): unknown {
  if (typeof value === "number") return schema.type === "integer" || schema["x-kubernetes-int-or-string"] ? integer(value) : value;
  if (typeof value === "string" && schema.type === "string" && schema.format === "byte") return new Uint8Array(Buffer.from(value, "base64"));
  return value;
}

function object(value: Record<string, unknown>, schema: SchemaNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const extra = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined) continue; // a null field is absent to `has()` and to field selection
    const childSchema = schema.properties?.[key] ?? extra;
    out[key] = childSchema ? toCel(child, childSchema) : untyped(child);
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
export function toCel(value: unknown, schema: SchemaNode | undefined): unknown {
  if (value === null || value === undefined) return value;
  if (!schema) return untyped(value);
  if (Array.isArray(value)) return value.map((item) => toCel(item, schema.items));
  if (typeof value === "object") return object(value as Record<string, unknown>, schema);
  return scalar(value, schema);
}
