// Deterministic changes to a CRD's OpenAPI schema, so the copies of one real CRD are not identical: some
// properties renamed or removed, string properties turned into enums, new properties of several types.
// Only `properties` chains are touched (never array items), so list-map keys and the root stay valid.

export type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[] };

/** Properties below the root this deep are varied (spec → its fields → theirs). */
const MAX_DEPTH = 3;

/** FNV-1a: a stable small hash of a seed and a property path. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return value;
}

/** A varied copy of `root` (the input is not changed); `seed` picks the changes. */
export function varySchema(root: Schema, seed: number): Schema {
  const properties = root.properties ?? {};
  const varied: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(properties)) {
    // apiVersion, kind and metadata are the API server's; status and spec keep their names.
    varied[name] = name === "spec" || name === "status" ? varyObject(schema, seed, name, 1) : schema;
  }
  if (varied.spec) varied.spec = withAddedProperties(varied.spec, seed);
  return { ...root, description: `${String(root.description ?? "")} (scale copy ${seed})`.trim(), properties: varied };
}

function varyObject(schema: Schema, seed: number, path: string, depth: number): Schema {
  if (!schema.properties || depth > MAX_DEPTH) return schema;
  const properties: Record<string, Schema> = {};
  let required = schema.required ? [...schema.required] : undefined;
  for (const [name, child] of Object.entries(schema.properties)) {
    const choice = hash(`${seed}/${path}/${name}`) % 17;
    if (choice === 0) {
      required = required?.filter((entry) => entry !== name);
      continue;
    }
    const renamed = choice === 1 ? `${name}V${seed % 5}` : name;
    if (renamed !== name) required = required?.map((entry) => (entry === name ? renamed : entry));
    properties[renamed] = varyObject(choice === 2 ? asEnum(child, name) : child, seed, `${path}/${name}`, depth + 1);
  }
  const copy: Schema = { ...schema, properties };
  if (required) copy.required = required;
  return copy;
}

/** A plain string property becomes an enum of three values (one with a default or format stays as it is). */
function asEnum(schema: Schema, name: string): Schema {
  if (schema.type !== "string" || schema.enum || schema.default !== undefined || schema.format || schema.pattern) return schema;
  return { ...schema, enum: [`${name}One`, `${name}Two`, `${name}Three`] };
}

const ADDED: Array<(seed: number) => Schema> = [
  (seed) => ({ type: "string", description: "Added by the scale bench.", enum: ["Alpha", "Beta", `Gamma${seed % 10}`] }),
  () => ({ type: "integer", format: "int64", minimum: 0 }),
  () => ({ type: "boolean" }),
  () => ({ type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" }),
  () => ({ type: "object", additionalProperties: { type: "string" } }),
  (seed) => ({ type: "object", properties: { name: { type: "string" }, weight: { type: "integer" }, [`tier${seed % 4}`]: { type: "string" } }, required: ["name"] }),
];

/** One to three new spec properties, of types picked by the seed. */
function withAddedProperties(spec: Schema, seed: number): Schema {
  const properties = { ...(spec.properties ?? {}) };
  for (let i = 0; i <= seed % 3; i++) properties[`scaleField${(seed + i) % 23}`] = ADDED[(seed + i) % ADDED.length]!(seed);
  return { ...spec, properties };
}
