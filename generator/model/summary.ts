import type { ApiModel, SchemaType } from "./ir.js";

export interface ResourceSummary {
  kind: string;
  namespaced: boolean;
  verbs: string[];
  subresources: Record<string, string[]>;
}

export interface PropertySummary {
  /** TypeScript-like type text; references by type name (`ObjectMeta`), unions of literals for enums. */
  type: string;
  required: boolean;
}

export interface GroupVersionSummary {
  preferred: boolean;
  resources: Record<string, ResourceSummary>;
  /** Type name → property → its type. Aliases (`Time = string`) appear with one property named `""`. */
  types: Record<string, Record<string, PropertySummary>>;
}

/** A JSON-serializable, deterministic digest of a model, for the change report between generations. */
export interface ModelSummary {
  /** Keyed by module key (`core/v1`, `batch/v1`, `meta/v1`). */
  groupVersions: Record<string, GroupVersionSummary>;
}

export function summarizeModel(model: ApiModel): ModelSummary {
  const entries = new Map<string, GroupVersionSummary>();
  const entry = (key: string) => {
    let found = entries.get(key);
    if (!found) {
      found = { preferred: false, resources: {}, types: {} };
      entries.set(key, found);
    }
    return found;
  };
  for (const group of model.groups) {
    for (const version of group.versions) {
      const summary = entry(version.key);
      summary.preferred = version.preferred;
      for (const resource of version.resources) {
        // defineProperty: a plural or type name such as `__proto__` is data, never a prototype.
        // Keys in sorted order, as canonical JSON writes them: then the manifest need not copy the summary.
        defineEntry(summary.resources, resource.plural, {
          kind: resource.kind,
          namespaced: resource.namespaced,
          subresources: Object.fromEntries(resource.subresources.map((sub) => [sub.name, [...sub.verbs]])),
          verbs: [...resource.verbs],
        });
      }
    }
  }
  for (const module of model.modules) {
    const summary = entry(module.key);
    for (const type of module.types) {
      defineEntry(
        summary.types,
        type.name,
        type.type.kind === "object"
          ? Object.fromEntries(type.type.properties.map((p) => [p.name, { required: p.required, type: describeType(p.type) }]))
          : { "": { required: true, type: describeType(type.type) } },
      );
    }
  }
  const sorted = [...entries.keys()].sort();
  return { groupVersions: Object.fromEntries(sorted.map((key) => [key, entries.get(key)!])) };
}

function defineEntry<T>(record: Record<string, T>, key: string, value: T): void {
  // An assignment is many times faster; only `__proto__` would set the prototype instead of a property.
  if (key === "__proto__") Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** Compact, TypeScript-like text for a schema (not emitted code: names are IR names). */
export function describeType(type: SchemaType): string {
  const text = describeBare(type);
  return type.nullable ? `${text} | null` : text;
}

function describeBare(type: SchemaType): string {
  switch (type.kind) {
    case "ref":
      return type.target.name;
    case "string":
      return type.enum ? type.enum.map((value) => JSON.stringify(value)).join(" | ") : "string";
    case "number":
      return type.enum ? type.enum.join(" | ") : "number";
    case "boolean":
      return "boolean";
    case "intOrString":
      return "number | string";
    case "literal":
      return JSON.stringify(type.value);
    case "array":
      return `Array<${describeType(type.items)}>`;
    case "union":
      return type.variants.map(describeType).join(" | ");
    case "unknown":
      return "unknown";
    case "object": {
      const fields = type.properties.map((p) => `${JSON.stringify(p.name)}${p.required ? "" : "?"}: ${describeType(p.type)}`);
      if (type.additionalProperties) fields.push(`[key: string]: ${describeType(type.additionalProperties)}`);
      return `{ ${fields.join("; ")} }`;
    }
  }
}
