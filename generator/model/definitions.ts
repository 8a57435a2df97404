import type { SourceSet } from "../sources/types.js";
import { ModelError, pointerSegment } from "./errors.js";
import type { GroupVersionKind } from "./ir.js";

/** A raw OpenAPI schema object as found in the documents (v2 and v3 share the parts we read). */
export type RawSchema = Record<string, unknown>;

/** One named schema (`components.schemas` or `definitions` entry) and where it was read. */
export interface Definition {
  /** `io.k8s.api.batch.v1.Job`. */
  key: string;
  schema: RawSchema;
  /** `openapi/v3 batch/v1` or `openapi/v2`. */
  document: string;
  /** `#/components/schemas/io.k8s.api.batch.v1.Job`. */
  pointer: string;
  groupVersionKinds: GroupVersionKind[];
}

const V3_PREFIX = "#/components/schemas/";
const V2_PREFIX = "#/definitions/";

/**
 * Every named schema of the source, merged across documents: a v3 document repeats the schemas it
 * references from other groups (batch/v1 carries PodSpec), so the first document in key order wins.
 */
export function collectDefinitions(sources: SourceSet): Map<string, Definition> {
  const definitions = new Map<string, Definition>();
  const add = (document: string, prefix: string, schemas: unknown) => {
    if (schemas === undefined) return;
    if (!isRecord(schemas)) {
      throw new ModelError(`${document}: ${prefix.slice(0, -1)} is not an object; the document is not an OpenAPI schema set`, {
        document,
        pointer: prefix.slice(0, -1),
      });
    }
    for (const key of Object.keys(schemas).sort()) {
      if (definitions.has(key)) continue;
      const pointer = prefix + pointerSegment(key);
      const schema = schemas[key];
      if (!isRecord(schema)) {
        throw new ModelError(`${document}: schema ${pointer} is ${describeValue(schema)}, expected a schema object`, { document, pointer });
      }
      definitions.set(key, { key, schema, document, pointer, groupVersionKinds: readGroupVersionKinds(schema, document, pointer) });
    }
  };
  if (sources.openapi.kind === "v3") {
    for (const docKey of [...sources.openapi.documents.keys()].sort()) {
      const doc = sources.openapi.documents.get(docKey) as unknown as RawSchema;
      const components = doc["components"];
      add(`openapi/v3 ${docKey}`, V3_PREFIX, isRecord(components) ? components["schemas"] : undefined);
    }
  } else {
    add("openapi/v2", V2_PREFIX, (sources.openapi.document as unknown as RawSchema)["definitions"]);
  }
  return new Map([...definitions.entries()].sort(([a], [b]) => compareStrings(a, b)));
}

/** The definition key a `$ref` names, or undefined when it is not a local schema reference. */
export function refTarget(ref: string): string | undefined {
  for (const prefix of [V3_PREFIX, V2_PREFIX]) {
    if (ref.startsWith(prefix)) return ref.slice(prefix.length).replace(/~1/g, "/").replace(/~0/g, "~");
  }
  return undefined;
}

function readGroupVersionKinds(schema: RawSchema, document: string, pointer: string): GroupVersionKind[] {
  const raw = schema["x-kubernetes-group-version-kind"];
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((entry, index) => {
    if (!isRecord(entry) || typeof entry["kind"] !== "string" || typeof entry["version"] !== "string") {
      const at = `${pointer}/x-kubernetes-group-version-kind/${index}`;
      throw new ModelError(`${document}: ${at} is not a {group, version, kind} object`, { document, pointer: at });
    }
    return { group: typeof entry["group"] === "string" ? entry["group"] : "", version: entry["version"], kind: entry["kind"] };
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** Code-unit order, independent of locale, so output bytes never depend on the machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
