import { createHash } from "node:crypto";
import type { SchemaNode } from "../../runtime/validate/index.js";
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
  /**
   * Type name → a hash of its rules in `<key>.validate.ts` (the keywords its fields' summaries do not show: patterns,
   * bounds, formats, CEL rules, ...), so the change report names tightened or loosened rules. Absent when generated
   * without validators.
   */
  rules?: Record<string, string>;
}

/** A JSON-serializable, deterministic digest of a model, for the change report between generations. */
export interface ModelSummary {
  /** Keyed by module key (`core/v1`, `batch/v1`, `meta/v1`). */
  groupVersions: Record<string, GroupVersionSummary>;
}

/**
 * `rules`: also each type's rules hash (`GroupVersionSummary.rules`), for the summary written
 * beside the output; comparisons between targets leave it out (their rules differ by design).
 */
export function summarizeModel(model: ApiModel, options: { rules?: boolean } = {}): ModelSummary {
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
  if (options.rules) addRuleHashes(model, entries);
  const sorted = [...entries.keys()].sort();
  return { groupVersions: Object.fromEntries(sorted.map((key) => [key, entries.get(key)!])) };
}

/** Per summarized group/version, each of its types' validation schemas as a short hash, keys sorted. */
function addRuleHashes(model: ApiModel, entries: ReadonlyMap<string, GroupVersionSummary>): void {
  for (const [key, summary] of entries) {
    const schemas = model.validation?.modules.get(key);
    if (schemas === undefined) continue;
    const rules: Record<string, string> = {};
    for (const name of Object.keys(schemas).sort()) defineEntry(rules, name, createHash("sha256").update(JSON.stringify(rulesOf(schemas[name]) ?? {})).digest("hex").slice(0, 16));
    summary.rules = rules;
  }
}

/** What the types do not show: the field summaries already say a field's type, enum, requiredness and nullability. */
const RULE_KEYWORDS = new Set([
  "format", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
  "minItems", "maxItems", "minProperties", "maxProperties", "default", "x-kubernetes-validations", "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys", "x-kubernetes-embedded-resource", "x-kubernetes-preserve-unknown-fields",
]);
const NESTED = ["items", "additionalProperties", "not"] as const;
const NESTED_LISTS = ["allOf", "anyOf", "oneOf"] as const;

/** A schema's rules only, where they are (`properties`, `items`, ...): undefined where it has none. */
function rulesOf(node: SchemaNode | boolean | undefined): Record<string, unknown> | undefined {
  if (typeof node !== "object") return undefined;
  const rules: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(node)) if (RULE_KEYWORDS.has(keyword)) rules[keyword] = value;
  const properties = Object.entries(node.properties ?? {}).flatMap(([name, property]) => {
    const found = rulesOf(property);
    return found === undefined ? [] : [[name, found] as const];
  });
  if (properties.length > 0) rules["properties"] = Object.fromEntries(properties);
  for (const keyword of NESTED) {
    const found = rulesOf(node[keyword]);
    if (found !== undefined) rules[keyword] = found;
  }
  for (const keyword of NESTED_LISTS) if (node[keyword] !== undefined) rules[keyword] = node[keyword].map((part) => rulesOf(part) ?? {});
  return Object.keys(rules).length === 0 ? undefined : rules;
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
