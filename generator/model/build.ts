import { compareVersionPriority } from "../sources/derive-discovery.js";
import { groupVersionKey } from "../sources/types.js";
import type { SourceSet } from "../sources/types.js";
import { collectDefinitions, compareStrings } from "./definitions.js";
import type { Definition } from "./definitions.js";
import { ModelError } from "./errors.js";
import type { ApiModel, GroupModel, NamedType, SchemaType, TypeModule, TypeRef, ValidationModel, VersionModel } from "./ir.js";
import { breakAliasCycles } from "./alias-cycles.js";
import { assignOwners } from "./ownership.js";
import { buildResources, KindIndex } from "./resources.js";
import { SchemaConverter } from "./schema.js";
import { selectGroupVersions } from "./selection.js";
import { collectValidation } from "./validation.js";

export interface BuildModelOptions {
  /** `batch` (all versions), `apps/v1`, `core/v1` or `v1` for core. Default: everything served. */
  groups?: string[] | undefined;
  /**
   * Let the model empty the OpenAPI v3 documents of `sources` as it reads them, each schema dropped once
   * converted: generation needs nothing else from them, and for 2,000 CRDs this takes a third off the peak memory.
   */
  consumeDocuments?: boolean | undefined;
  /** Also keep every schema's validation keywords (`ApiModel.validation`), for the `.validate.ts` modules. */
  validation?: boolean | undefined;
}

/**
 * Builds the IR from what the sources read: the selected group/versions with their resources, and every
 * type those reach, each in the module of the group/version that owns it (types of unselected owners too).
 */
export function buildModel(sources: SourceSet, options: BuildModelOptions = {}): ApiModel {
  const definitions = collectDefinitions(sources);
  // What the definitions do not hold (paths, the copies of schemas other documents define too) can go now.
  if (options.consumeDocuments && sources.openapi.kind === "v3") sources.openapi.documents.clear();
  const { ownerOf, warnings } = assignOwners(definitions, sources.groupVersions);
  const converter = new SchemaConverter(definitions, ownerOf, options.consumeDocuments === true);
  const validation = options.validation ? validationOf(definitions, converter, sources.serverVersion) : undefined;
  const converted = converter.convertAll();
  breakAliasCycles(converted, warnings);
  const kinds = new KindIndex(definitions, ownerOf);
  const selected = selectGroupVersions(sources.groupVersions, options.groups);

  const versions: VersionModel[] = selected.map((gv) => ({
    group: gv.group,
    version: gv.version,
    key: groupVersionKey(gv.group, gv.version),
    preferred: gv.preferred,
    resources: buildResources(gv, kinds, (key) => converter.refOf(key), warnings),
  }));

  assertObjectTypes(versions, converted, definitions);
  markDeprecatedResources(versions, converted);

  const roots: TypeRef[] = [];
  const selectedKeys = new Set(versions.map((version) => version.key));
  for (const [key, entry] of converted) {
    if (selectedKeys.has(key)) roots.push(...entry.types.map((type) => ({ module: key, name: type.name })));
  }
  for (const version of versions) {
    for (const resource of version.resources) {
      if (resource.objectType) roots.push(resource.objectType);
      for (const sub of resource.subresources) if (sub.body) collectRefs(sub.body, roots);
    }
  }
  const modules = reachableModules(converted, roots);
  assertPortableModulePaths([...versions.map((version) => version.key), ...modules.map((module) => module.key)]);

  const model: ApiModel = { origin: sources.origin, groups: groupVersionsIntoGroups(versions), modules, warnings };
  if (validation !== undefined) model.validation = validation;
  return model;
}

/**
 * The validation keywords, read before the converter (which may consume the documents). A schema nested so deep
 * that reading it overflows the stack is past the converter's depth limit: the converter refuses it, naming the
 * document and pointer.
 */
function validationOf(definitions: Map<string, Definition>, converter: SchemaConverter, serverVersion: SourceSet["serverVersion"]): ValidationModel {
  try {
    return collectValidation(definitions, (key) => converter.refOf(key), serverVersion);
  } catch (error) {
    if (error instanceof RangeError) converter.convertAll();
    throw error;
  }
}

/** A resource's kind must be an object schema: its instances are Kubernetes objects with metadata. */
function assertObjectTypes(
  versions: VersionModel[],
  converted: Map<string, { types: NamedType[] }>,
  definitions: Map<string, Definition>,
): void {
  for (const version of versions) {
    for (const resource of version.resources) {
      const ref = resource.objectType;
      if (!ref) continue;
      const type = converted.get(ref.module)?.types.find((candidate) => candidate.name === ref.name);
      if (!type || type.type.kind === "object") continue;
      const definition = definitions.get(type.source);
      const document = definition?.document ?? "openapi";
      throw new ModelError(
        `${document}: schema ${definition?.pointer ?? type.source} declares kind ${resource.kind} of resource ${version.key} ${resource.plural} but is not an object schema (it maps to ${type.type.kind}); give it type: object with properties`,
        { document, ...(definition ? { pointer: definition.pointer } : {}) },
      );
    }
  }
}

/** A resource whose object type is deprecated (`componentstatuses`) is, too: its descriptor says so. */
function markDeprecatedResources(versions: VersionModel[], converted: Map<string, { types: NamedType[] }>): void {
  for (const resource of versions.flatMap((version) => version.resources)) {
    const ref = resource.objectType;
    const deprecated = ref && converted.get(ref.module)?.types.find((type) => type.name === ref.name)?.deprecated;
    if (deprecated !== undefined) resource.deprecated = deprecated;
  }
}

/**
 * Module paths become file paths: two that differ only in letter case (`Example.com/v1`, `example.com/v1`)
 * would overwrite each other on macOS and Windows. API groups are lowercase DNS names, so this is a bad document.
 */
function assertPortableModulePaths(keys: string[]): void {
  const seen = new Map<string, string>();
  for (const key of new Set(keys)) {
    const folded = key.toLowerCase();
    const other = seen.get(folded);
    if (other !== undefined) {
      const [first, second] = [other, key].sort();
      throw new ModelError(
        `openapi/v3 ${second} at #/paths: group/version ${second} differs from ${first} only in letter case; their files would collide on case-insensitive file systems. API groups are lowercase DNS names: fix the group, or leave one out with --groups`,
        { document: `openapi/v3 ${second}`, pointer: "#/paths" },
      );
    }
    seen.set(folded, key);
  }
}

function groupVersionsIntoGroups(versions: VersionModel[]): GroupModel[] {
  const byGroup = new Map<string, VersionModel[]>();
  for (const version of versions) byGroup.set(version.group, [...(byGroup.get(version.group) ?? []), version]);
  return [...byGroup.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([name, list]) => ({ name, versions: list.sort((a, b) => compareVersionPriority(a.version, b.version)) }));
}

/** The types `roots` reach, transitively, grouped by module (modules with none left out). */
export function reachableModules(
  converted: Map<string, { module: { key: string; group: string; version: string }; types: NamedType[] }>,
  roots: TypeRef[],
): TypeModule[] {
  // Per module: name → type, and the names reached (no joined `module + name` keys: 200,000 types for 2,000 CRDs).
  const lookup = new Map<string, Map<string, NamedType>>();
  for (const [key, entry] of converted) lookup.set(key, new Map(entry.types.map((type) => [type.name, type])));
  const reached = new Map<string, Set<string>>();
  const queue = [...roots];
  while (queue.length > 0) {
    const ref = queue.pop()!;
    let names = reached.get(ref.module);
    if (names === undefined) reached.set(ref.module, (names = new Set()));
    if (names.has(ref.name)) continue;
    names.add(ref.name);
    const type = lookup.get(ref.module)?.get(ref.name);
    if (type) collectRefs(type.type, queue);
  }
  const modules: TypeModule[] = [];
  for (const [key, entry] of converted) {
    const names = reached.get(key);
    const types = names === undefined ? [] : entry.types.filter((type) => names.has(type.name));
    if (types.length > 0) modules.push({ key, group: entry.module.group, version: entry.module.version, types });
  }
  return modules;
}

/** Every type reference inside a schema. */
export function collectRefs(type: SchemaType, into: TypeRef[]): void {
  switch (type.kind) {
    case "ref":
      into.push(type.target);
      return;
    case "array":
      collectRefs(type.items, into);
      return;
    case "union":
      for (const variant of type.variants) collectRefs(variant, into);
      return;
    case "object":
      for (const property of type.properties) collectRefs(property.type, into);
      if (type.additionalProperties) collectRefs(type.additionalProperties, into);
      return;
    default:
      return;
  }
}
