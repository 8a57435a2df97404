import { compareStrings, describeValue, isRecord, refTarget } from "./definitions.js";
import { deprecationOf } from "./deprecation.js";
import type { Definition, RawSchema } from "./definitions.js";
import { ModelError, pointerSegment } from "./errors.js";
import type { NamedType, ObjectSchema, PropertyModel, SchemaType, TypeRef } from "./ir.js";
import type { ModuleIdentity } from "./ownership.js";
import { apiVersionOf } from "../../runtime/core/group-version.js";

const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
/** Deeper schemas than this are refused: real ones stay under 30 levels, and recursion must not overflow the stack. */
export const MAX_SCHEMA_DEPTH = 128;
/** Longer descriptions are cut: real ones stay under 10 KB, and a huge one would only bloat every output file. */
export const MAX_DESCRIPTION_LENGTH = 32 * 1024;
/** Definitions whose JSON is arbitrary whatever their schema says. */
const ANY_JSON = /^io\.k8s\.(apimachinery\.pkg\.runtime\.RawExtension|apiextensions-apiserver\.pkg\.apis\.apiextensions\.v\w+\.JSON)$/;
/**
 * `Quantity` as the server reads it: a string ("500m") or a number (1). OpenAPI v2 and the older v3 documents say
 * `type: string`, newer v3 documents `oneOf: [string, number]`; the same program must compile against both.
 */
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const QUANTITY_TYPE: SchemaType = { kind: "union", variants: [{ kind: "string" }, { kind: "number", integer: false }] };

interface Location {
  definition: Definition;
  pointer: string;
  module: ModuleIdentity;
  /** Name an inline object at this location would get (`CertificateSpecKeystoresJks`). */
  hint: string;
}

/**
 * Turns named OpenAPI schemas into named IR types. Names are fixed for every definition before any inline
 * object is named, so inline names (`CertificateSpec`) never take a definition's name; clashes get a number.
 */
export class SchemaConverter {
  private readonly namesByModule = new Map<string, Set<string>>();
  private readonly typesByModule = new Map<string, { module: ModuleIdentity; types: NamedType[] }>();
  private readonly refOfDefinition = new Map<string, TypeRef>();
  /** Each distinct description once (see `describe`). */
  private readonly descriptions = new Map<string, Described>();
  /** Nesting depth of the schema being converted (conversion is synchronous and recursive). */
  private depth = 0;

  constructor(
    private readonly definitions: Map<string, Definition>,
    private readonly ownerOf: Map<string, ModuleIdentity>,
    /** Drop each definition's raw schema once converted (see `BuildModelOptions.consumeDocuments`). */
    private readonly dropConverted = false,
  ) {
    for (const definition of definitions.values()) {
      const module = this.ownerOf.get(definition.key)!;
      const name = this.allocateName(module.key, definition.key.slice(definition.key.lastIndexOf(".") + 1));
      this.refOfDefinition.set(definition.key, { module: module.key, name });
    }
  }

  /** Converts every definition; returns the types per module (sorted by name). */
  convertAll(): Map<string, { module: ModuleIdentity; types: NamedType[] }> {
    for (const definition of this.definitions.values()) {
      this.convertDefinition(definition);
      if (this.dropConverted) definition.schema = {};
    }
    for (const entry of this.typesByModule.values()) entry.types.sort((a, b) => compareStrings(a.name, b.name));
    return new Map([...this.typesByModule.entries()].sort(([a], [b]) => compareStrings(a, b)));
  }

  refOf(definitionKey: string): TypeRef | undefined {
    return this.refOfDefinition.get(definitionKey);
  }

  private convertDefinition(definition: Definition): void {
    const module = this.ownerOf.get(definition.key)!;
    const ref = this.refOfDefinition.get(definition.key)!;
    const location: Location = { definition, pointer: definition.pointer, module, hint: ref.name };
    let type = ANY_JSON.test(definition.key)
      ? ({ kind: "unknown" } as SchemaType)
      : definition.key === QUANTITY
        ? QUANTITY_TYPE
        : this.convertInline(definition.schema, location, true);
    const gvks = definition.groupVersionKinds;
    if (type.kind === "object" && gvks.length === 1) type = this.withTypedMetadata(withKindLiterals(type, gvks[0]!), gvks[0]!.kind);
    this.addType(module, {
      name: ref.name,
      source: definition.key,
      ...describe(definition.schema, this.descriptions),
      type,
      groupVersionKinds: gvks,
    });
  }

  private convertInline(schema: unknown, at: Location, topLevel = false): SchemaType {
    if (!isRecord(schema)) {
      throw this.error(at, `is ${describeValue(schema)}, expected a schema object`);
    }
    if (this.depth >= MAX_SCHEMA_DEPTH) {
      throw this.error(at, `nests schemas more than ${MAX_SCHEMA_DEPTH} levels deep; flatten it (use $ref to named schemas) or leave this field out`);
    }
    const nullable = schema["nullable"] === true ? { nullable: true } : {};
    this.depth++;
    try {
      const type = this.convertShape(schema, at, topLevel);
      return { ...type, ...nullable };
    } finally {
      this.depth--;
    }
  }

  private convertShape(schema: RawSchema, at: Location, topLevel: boolean): SchemaType {
    const ref = schema["$ref"];
    if (ref !== undefined) return this.resolveRef(ref, { ...at, pointer: `${at.pointer}/$ref` });
    if (schema["x-kubernetes-int-or-string"] === true || schema["format"] === "int-or-string") return { kind: "intOrString" };
    const type = schema["type"];
    const hasProperties = schema["properties"] !== undefined;
    if (type === undefined && !hasProperties) {
      const composed = this.convertComposition(schema, at);
      if (composed !== undefined) return composed;
      return schema["additionalProperties"] !== undefined ? this.convertObject(schema, at, topLevel) : { kind: "unknown" };
    }
    switch (type) {
      case "string":
        return { kind: "string", ...stringFormat(schema), ...enumOf(schema, "string", at, this) };
      case "integer":
      case "number":
        return { kind: "number", integer: type === "integer", ...stringFormat(schema), ...enumOf(schema, "number", at, this) };
      case "boolean":
        return { kind: "boolean" };
      case "array": {
        const items = schema["items"];
        const itemType =
          items === undefined ? ({ kind: "unknown" } as SchemaType) : this.convertInline(items, { ...at, pointer: `${at.pointer}/items`, hint: `${at.hint}Item` });
        const listMapKeys = schema["x-kubernetes-list-map-keys"];
        return {
          kind: "array",
          items: itemType,
          ...(typeof schema["x-kubernetes-list-type"] === "string" ? { listType: schema["x-kubernetes-list-type"] } : {}),
          ...(Array.isArray(listMapKeys) ? { listMapKeys: listMapKeys.map(String) } : {}),
        };
      }
      case "object":
      case undefined:
        return this.convertObject(schema, at, topLevel);
      default:
        throw this.error(at, `has type ${JSON.stringify(type)}; expected one of string, integer, number, boolean, array, object`);
    }
  }

  /** A schema without a type: `allOf: [{$ref}]` (a reference with a description beside it) or a `oneOf`/`anyOf` of types. */
  private convertComposition(schema: RawSchema, at: Location): SchemaType | undefined {
    const allOf = schema["allOf"];
    if (Array.isArray(allOf) && allOf.length > 0) return this.convertInline(allOf[0], { ...at, pointer: `${at.pointer}/allOf/0` });
    for (const keyword of ["oneOf", "anyOf"] as const) {
      const variants = schema[keyword];
      if (!Array.isArray(variants)) continue;
      const typed = variants
        .map((variant, index) => ({ variant, index }))
        .filter(({ variant }) => isRecord(variant) && (variant["type"] !== undefined || variant["$ref"] !== undefined));
      if (typed.length === 0) continue;
      const converted = typed.map(({ variant, index }) =>
        this.convertInline(variant, { ...at, pointer: `${at.pointer}/${keyword}/${index}`, hint: `${at.hint}Variant${index + 1}` }),
      );
      return converted.length === 1 ? converted[0] : { kind: "union", variants: converted };
    }
    if (schema["x-kubernetes-preserve-unknown-fields"] === true) return { kind: "unknown" };
    return undefined;
  }

  private convertObject(schema: RawSchema, at: Location, topLevel: boolean): SchemaType {
    const rawProperties = schema["properties"] ?? {};
    if (!isRecord(rawProperties)) throw this.error(at, `/properties is ${describeValue(rawProperties)}, expected an object of schemas`);
    const required = schema["required"] ?? [];
    if (!Array.isArray(required) || required.some((name) => typeof name !== "string")) {
      throw this.error(at, `/required is not an array of property names`);
    }
    const embedded = schema["x-kubernetes-embedded-resource"] === true;
    const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
    const names = Object.keys(rawProperties).sort(compareStrings);
    if (!topLevel && names.length > 0) return this.nameInlineObject(schema, at);

    const properties: PropertyModel[] = names.map((name) => {
      const propertySchema = rawProperties[name];
      const type = this.convertInline(propertySchema, {
        ...at,
        pointer: `${at.pointer}/properties/${pointerSegment(name)}`,
        hint: `${at.hint}${pascalCase(name)}`,
      });
      return { name, required: required.includes(name), type, ...(isRecord(propertySchema) ? describe(propertySchema, this.descriptions) : {}) };
    });
    if (embedded) this.addEmbeddedResourceFields(properties);

    const object: ObjectSchema = { kind: "object", properties };
    const additional = schema["additionalProperties"];
    if (preserve || additional === true || (isRecord(additional) && Object.keys(additional).length === 0)) {
      object.additionalProperties = { kind: "unknown" };
    } else if (isRecord(additional)) {
      object.additionalProperties = this.convertInline(additional, {
        ...at,
        pointer: `${at.pointer}/additionalProperties`,
        hint: `${at.hint}Value`,
      });
    } else if (properties.length === 0 && additional !== false) {
      // `type: object` with nothing else (FieldsV1, Patch, free-form CRD maps): any fields.
      object.additionalProperties = { kind: "unknown" };
    }
    if (preserve) object.preserveUnknownFields = true;
    if (embedded) object.embeddedResource = true;
    if (typeof schema["x-kubernetes-map-type"] === "string") object.mapType = schema["x-kubernetes-map-type"];
    return object;
  }

  /**
   * A CRD's schema says only `metadata: {type: object}`; the server fills and validates it as ObjectMeta
   * (ListMeta for lists), so a top-level kind gets that type when the documents define it.
   */
  private withTypedMetadata(type: ObjectSchema, kind: string): ObjectSchema {
    const metaKey = kind.endsWith("List") ? LIST_META : OBJECT_META;
    const meta = this.refOfDefinition.get(metaKey);
    if (!meta) return type;
    return {
      ...type,
      properties: type.properties.map((property) =>
        property.name === "metadata" && property.type.kind === "object" && property.type.properties.length === 0
          ? { ...property, type: { kind: "ref", target: meta } }
          : property,
      ),
    };
  }

  private nameInlineObject(schema: RawSchema, at: Location): SchemaType {
    const name = this.allocateName(at.module.key, at.hint);
    const type = this.convertObject(schema, { ...at, hint: name }, true);
    this.addType(at.module, {
      name,
      source: `${at.definition.key}${at.pointer.slice(at.definition.pointer.length)}`,
      ...describe(schema, this.descriptions),
      type,
      groupVersionKinds: [],
    });
    return { kind: "ref", target: { module: at.module.key, name } };
  }

  private addEmbeddedResourceFields(properties: PropertyModel[]): void {
    const has = (name: string) => properties.some((property) => property.name === name);
    if (!has("apiVersion")) properties.push({ name: "apiVersion", required: false, type: { kind: "string" } });
    if (!has("kind")) properties.push({ name: "kind", required: false, type: { kind: "string" } });
    if (!has("metadata")) {
      const meta = this.refOfDefinition.get(OBJECT_META);
      properties.push({
        name: "metadata",
        required: false,
        type: meta ? { kind: "ref", target: meta } : { kind: "object", properties: [], additionalProperties: { kind: "unknown" } },
      });
    }
    properties.sort((a, b) => compareStrings(a.name, b.name));
  }

  private resolveRef(ref: unknown, at: Location): SchemaType {
    if (typeof ref !== "string") throw this.error(at, `is ${describeValue(ref)}, expected a string like "#/components/schemas/<name>"`);
    const target = refTarget(ref);
    const resolved = target === undefined ? undefined : this.refOfDefinition.get(target);
    if (resolved === undefined) {
      throw this.error(
        at,
        `is a dangling reference ${JSON.stringify(ref)}: no schema of that name in the documents; add the referenced schema or fix the reference`,
      );
    }
    return { kind: "ref", target: resolved };
  }

  private addType(module: ModuleIdentity, type: NamedType): void {
    const entry = this.typesByModule.get(module.key) ?? { module, types: [] };
    this.typesByModule.set(module.key, entry);
    entry.types.push(type);
  }

  private allocateName(moduleKey: string, candidate: string): string {
    const taken = this.namesByModule.get(moduleKey) ?? new Set<string>();
    this.namesByModule.set(moduleKey, taken);
    let name = candidate;
    for (let suffix = 2; taken.has(name); suffix++) name = `${candidate}${suffix}`;
    taken.add(name);
    return name;
  }

  error(at: Location, problem: string): ModelError {
    const document = at.definition.document;
    return new ModelError(`${document}: schema ${at.pointer} ${problem}`, { document, pointer: at.pointer });
  }
}

function withKindLiterals(type: ObjectSchema, gvk: { group: string; version: string; kind: string }): ObjectSchema {
  const apiVersion = apiVersionOf(gvk.group, gvk.version);
  const literal = (name: string): string | undefined => (name === "apiVersion" ? apiVersion : name === "kind" ? gvk.kind : undefined);
  return {
    ...type,
    properties: type.properties.map((property) => {
      const value = literal(property.name);
      return value !== undefined && property.type.kind === "string" ? { ...property, type: { kind: "literal", value } } : property;
    }),
  };
}

/**
 * The description of a schema and the deprecation note it carries, one string per distinct text (`seen`):
 * JSON.parse makes a new string for every occurrence, and the CRDs of one operator or provider repeat the same
 * descriptions hundreds of times, so sharing them keeps a big cluster's model small.
 */
function describe(schema: RawSchema, seen: Map<string, Described>): Described {
  const description = schema["description"];
  if (typeof description !== "string" || description === "") return {};
  const known = seen.get(description);
  if (known !== undefined) return known;
  const deprecated = deprecationOf(description);
  const note = deprecated === undefined ? {} : { deprecated };
  const described =
    description.length <= MAX_DESCRIPTION_LENGTH
      ? { description, ...note }
      : { description: `${description.slice(0, MAX_DESCRIPTION_LENGTH)}… (cut by kubetyped: ${description.length} characters in the document)`, ...note };
  seen.set(description, described);
  return described;
}

type Described = { description?: string; deprecated?: string };

function stringFormat(schema: RawSchema): { format?: string } {
  return typeof schema["format"] === "string" ? { format: schema["format"] } : {};
}

function enumOf(
  schema: RawSchema,
  valueType: "string" | "number",
  at: Location,
  converter: SchemaConverter,
): { enum?: string[] } & { enum?: number[] } {
  const values = schema["enum"];
  if (values === undefined) return {};
  if (!Array.isArray(values)) throw converter.error(at, "/enum is not an array");
  // `null` is allowed in enums of nullable fields; other foreign values make the enum unusable as a union.
  const usable = values.filter((value) => value !== null);
  if (usable.length === 0 || usable.some((value) => typeof value !== valueType)) return {};
  // 1e400 parses as Infinity, which no TypeScript literal type spells: such an enum is a plain number.
  if (usable.some((value) => typeof value === "number" && !Number.isFinite(value))) return {};
  const unique = [...new Set(usable)] as (string | number)[];
  return { enum: unique.sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : compareStrings(String(a), String(b)))) as never };
}

/** `keystores` → `Keystores`, `x-y` → `XY`, `$ref` → `Ref`: the part of an inline type's name a property adds. */
export function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}
