// What several targets all serve, as one model: code generated from it compiles and runs against each of them.
import { collectRefs, reachableModules } from "./build.js";
import { commonType, type CommonTypeContext } from "./common-type.js";
import type { ApiModel, GroupModel, NamedType, ResourceModel, SchemaType, SubresourceModel, TypeModule, TypeRef, VersionModel } from "./ir.js";
import { mergeValidation } from "./merge-validation.js";

/**
 * The model of what every one of `models` serves: group/versions, resources, verbs, subresources, short names
 * and categories present in all; named types present in all (by module and name), each of its common form
 * (`commonType`: the narrower type, fields every target has). A field, body or object type whose forms share
 * no value is left out (a resource's object type becomes unknown). Pure; the result depends on the order only
 * through descriptions and deprecation notes, where later models win (pass them oldest first).
 */
export function intersectModels(models: readonly ApiModel[]): ApiModel {
  const [first, ...rest] = models;
  if (first === undefined) throw new Error("intersectModels needs at least one model");
  return rest.reduce(intersectTwo, first);
}

function intersectTwo(a: ApiModel, b: ApiModel): ApiModel {
  const context: CommonTypeContext = { typeOfA: typeLookup(a), typeOfB: typeLookup(b) };
  const modules = new Map<string, TypeModule>();
  for (const left of a.modules) {
    const right = b.modules.find((module) => module.key === left.key);
    if (right !== undefined) modules.set(left.key, { ...left, types: commonTypes(left.types, right.types, context) });
  }
  const exists = (ref: TypeRef) => modules.get(ref.module)?.types.some((type) => type.name === ref.name) === true;
  dropDanglingRefs(modules, exists);
  const groups = commonGroups(a.groups, b.groups, exists, context);
  // Validators judge as `kubetyped validate` does against several targets: valid only if valid on all.
  const validation = mergeValidation(a.validation, b.validation);
  return {
    origin: `${a.origin} + ${b.origin}`,
    groups,
    modules: reachable(groups, [...modules.values()]),
    warnings: [...new Set([...a.warnings, ...b.warnings])],
    ...(validation === undefined ? {} : { validation }),
  };
}

function typeLookup(model: ApiModel): (ref: TypeRef) => NamedType | undefined {
  const byKey = new Map(model.modules.map((module) => [module.key, new Map(module.types.map((type) => [type.name, type]))]));
  return (ref) => byKey.get(ref.module)?.get(ref.name);
}

function commonTypes(a: readonly NamedType[], b: readonly NamedType[], context: CommonTypeContext): NamedType[] {
  const byName = new Map(b.map((type) => [type.name, type]));
  const types: NamedType[] = [];
  for (const left of a) {
    const right = byName.get(left.name);
    const type = right === undefined ? undefined : commonType(left.type, right.type, context);
    if (right === undefined || type === undefined) continue;
    const description = right.description ?? left.description;
    const deprecated = right.deprecated ?? left.deprecated;
    const kinds = new Set(right.groupVersionKinds.map((gvk) => `${gvk.group}/${gvk.version}/${gvk.kind}`));
    types.push({
      name: left.name,
      source: right.source,
      ...(description === undefined ? {} : { description }),
      ...(deprecated === undefined ? {} : { deprecated }),
      type,
      groupVersionKinds: left.groupVersionKinds.filter((gvk) => kinds.has(`${gvk.group}/${gvk.version}/${gvk.kind}`)),
    });
  }
  return types;
}

/**
 * A type left out (no common form) takes every reference to it along: the fields using it, or (for an alias
 * such as `Foo[]`) the whole alias, whose own references go in the next round.
 */
function dropDanglingRefs(modules: Map<string, TypeModule>, exists: Exists): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const module of modules.values()) {
      const kept = module.types.flatMap((type) => {
        const cleaned = withoutDanglingRefs(type, exists);
        if (cleaned !== type) changed = true;
        return cleaned === undefined ? [] : [cleaned];
      });
      module.types = kept;
    }
  }
}

/** The type unchanged, without the fields that reference missing types, or undefined (an alias of a missing type). */
function withoutDanglingRefs(type: NamedType, exists: Exists): NamedType | undefined {
  if (type.type.kind !== "object") return refsExist(type.type, exists) ? type : undefined;
  const properties = type.type.properties.filter((property) => refsExist(property.type, exists));
  const additional = type.type.additionalProperties;
  const additionalGone = additional !== undefined && !refsExist(additional, exists);
  if (properties.length === type.type.properties.length && !additionalGone) return type;
  const object = { ...type.type, properties };
  if (additionalGone) delete object.additionalProperties;
  return { ...type, type: object };
}

function refsExist(type: SchemaType, exists: Exists): boolean {
  const refs: TypeRef[] = [];
  collectRefs(type, refs);
  return refs.every(exists);
}

type Exists = (ref: TypeRef) => boolean;

function commonGroups(a: readonly GroupModel[], b: readonly GroupModel[], exists: Exists, context: CommonTypeContext): GroupModel[] {
  const groups: GroupModel[] = [];
  for (const left of a) {
    const right = b.find((group) => group.name === left.name);
    if (right === undefined) continue;
    const versions = left.versions.flatMap((version) => {
      const other = right.versions.find((candidate) => candidate.key === version.key);
      return other === undefined ? [] : [commonVersion(version, other, exists, context)];
    });
    if (versions.length > 0) groups.push({ name: left.name, versions });
  }
  return groups;
}

function commonVersion(a: VersionModel, b: VersionModel, exists: Exists, context: CommonTypeContext): VersionModel {
  const resources = a.resources.flatMap((resource) => {
    const other = b.resources.find((candidate) => candidate.plural === resource.plural);
    const common = other === undefined ? undefined : commonResource(resource, other, exists, context);
    return common === undefined ? [] : [common];
  });
  // Preferred only where every target prefers it: a program picking "the preferred version" must get the same one everywhere.
  return { ...a, preferred: a.preferred && b.preferred, resources };
}

function commonResource(a: ResourceModel, b: ResourceModel, exists: Exists, context: CommonTypeContext): ResourceModel | undefined {
  if (a.kind !== b.kind || a.namespaced !== b.namespaced) return undefined;
  const subresources = a.subresources.flatMap((sub) => {
    const other = b.subresources.find((candidate) => candidate.name === sub.name);
    const common = other === undefined ? undefined : commonSubresource(sub, other, exists, context);
    return common === undefined ? [] : [common];
  });
  const objectType = sameRef(a.objectType, b.objectType, exists);
  const deprecated = b.deprecated ?? a.deprecated;
  // A selector must work on every target: the paths all of them list; a target that lists none leaves it open.
  const selectableFields = a.selectableFields?.filter((path) => b.selectableFields?.includes(path));
  return {
    plural: a.plural,
    singular: b.singular,
    kind: a.kind,
    namespaced: a.namespaced,
    verbs: a.verbs.filter((verb) => b.verbs.includes(verb)),
    shortNames: a.shortNames.filter((name) => b.shortNames.includes(name)),
    categories: a.categories.filter((name) => b.categories.includes(name)),
    subresources,
    ...(objectType === undefined ? {} : { objectType }),
    ...(deprecated === undefined ? {} : { deprecated }),
    ...(selectableFields?.length ? { selectableFields } : {}),
  };
}

function commonSubresource(a: SubresourceModel, b: SubresourceModel, exists: Exists, context: CommonTypeContext): SubresourceModel | undefined {
  const verbs = a.verbs.filter((verb) => b.verbs.includes(verb));
  // exec, attach, portforward, proxy carry no body: the kind discovery names for them (options, or the parent's) is moot.
  if (a.body === undefined && b.body === undefined) return { ...b, verbs };
  if (a.kind !== b.kind || a.group !== b.group || a.version !== b.version) return undefined;
  const body = a.body !== undefined && b.body !== undefined ? commonType(a.body, b.body, context) : undefined;
  return {
    name: a.name,
    verbs,
    kind: a.kind,
    ...(a.group === undefined ? {} : { group: a.group, version: a.version! }),
    ...(body !== undefined && refsExist(body, exists) ? { body } : {}),
  };
}

function sameRef(a: TypeRef | undefined, b: TypeRef | undefined, exists: Exists): TypeRef | undefined {
  return a !== undefined && b !== undefined && a.module === b.module && a.name === b.name && exists(a) ? a : undefined;
}

/** The modules' types that the kept group/versions still reach (their own types, object and body types, and what those use). */
function reachable(groups: readonly GroupModel[], modules: TypeModule[]): TypeModule[] {
  const versions = groups.flatMap((group) => group.versions);
  const selected = new Set(versions.map((version) => version.key));
  const roots: TypeRef[] = [];
  for (const module of modules) if (selected.has(module.key)) roots.push(...module.types.map((type) => ({ module: module.key, name: type.name })));
  for (const resource of versions.flatMap((version) => version.resources)) {
    if (resource.objectType) roots.push(resource.objectType);
    for (const sub of resource.subresources) if (sub.body) collectRefs(sub.body, roots);
  }
  const converted = new Map(modules.map((module) => [module.key, { module, types: module.types }]));
  return reachableModules(converted, roots);
}
