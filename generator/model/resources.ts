import type { DiscoveredGroupVersion, DiscoveredResource, DiscoveredSubresource } from "../sources/types.js";
import type { Definition } from "./definitions.js";
import type { GroupVersionKind, ResourceModel, SchemaType, SubresourceModel, TypeRef, Verb } from "./ir.js";
import type { ModuleIdentity } from "./ownership.js";
import { groupVersionKey } from "../../runtime/core/group-version.js";

const VERBS: ReadonlySet<string> = new Set<Verb>(["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]);
/** Subresources that stream or tunnel (their "kind" names query options, not a body). */
const CONNECT_SUBRESOURCES = new Set(["attach", "exec", "portforward", "proxy"]);

/** Finds the named type carrying a group/version/kind; prefers definitions owned by that group/version with one kind. */
export class KindIndex {
  private readonly byKind = new Map<string, { key: string; score: number }>();

  constructor(definitions: Map<string, Definition>, ownerOf: Map<string, ModuleIdentity>) {
    for (const definition of definitions.values()) {
      for (const gvk of definition.groupVersionKinds) {
        const id = gvkId(gvk);
        const owner = ownerOf.get(definition.key);
        const ownedHere = owner !== undefined && owner.group === gvk.group && owner.version === gvk.version;
        const score = (ownedHere ? 0 : 1000) + definition.groupVersionKinds.length;
        const current = this.byKind.get(id);
        if (!current || score < current.score) this.byKind.set(id, { key: definition.key, score });
      }
    }
  }

  definitionOf(gvk: GroupVersionKind): string | undefined {
    return this.byKind.get(gvkId(gvk))?.key;
  }
}

function gvkId(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

export function buildResources(
  gv: DiscoveredGroupVersion,
  kinds: KindIndex,
  refOf: (definitionKey: string) => TypeRef | undefined,
  warnings: string[],
): ResourceModel[] {
  const label = groupVersionKey(gv.group, gv.version);
  const typeOf = (gvk: GroupVersionKind): TypeRef | undefined => {
    const key = kinds.definitionOf(gvk);
    return key === undefined ? undefined : refOf(key);
  };
  return [...gv.resources]
    .sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0))
    .map((resource) => {
      const objectType = typeOf({ group: gv.group, version: gv.version, kind: resource.kind });
      if (!objectType) warnings.push(`${label} ${resource.plural}: no schema declares kind ${resource.kind}; its object type is unknown`);
      return {
        plural: resource.plural,
        singular: resource.singular || resource.kind.toLowerCase(),
        kind: resource.kind,
        namespaced: resource.namespaced,
        verbs: knownVerbs(resource.verbs, `${label} ${resource.plural}`, warnings),
        shortNames: [...resource.shortNames].sort(),
        categories: [...resource.categories].sort(),
        subresources: [...resource.subresources]
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
          .map((sub) => buildSubresource(sub, resource, gv, typeOf, label, warnings)),
        ...(objectType ? { objectType } : {}),
        ...(resource.selectableFields?.length ? { selectableFields: [...resource.selectableFields].sort() } : {}),
      };
    });
}

function buildSubresource(
  sub: DiscoveredSubresource,
  parent: DiscoveredResource,
  gv: DiscoveredGroupVersion,
  typeOf: (gvk: GroupVersionKind) => TypeRef | undefined,
  label: string,
  warnings: string[],
): SubresourceModel {
  const group = sub.group ?? gv.group;
  const version = sub.version ?? gv.version;
  let body: SchemaType | undefined;
  if (sub.name === "log") body = { kind: "string" };
  else if (!CONNECT_SUBRESOURCES.has(sub.name)) {
    const ref = typeOf({ group, version, kind: sub.kind });
    if (ref) body = { kind: "ref", target: ref };
    else warnings.push(`${label} ${parent.plural}/${sub.name}: no schema declares kind ${groupVersionKey(group, version)} ${sub.kind}; its body type is unknown`);
  }
  return {
    name: sub.name,
    verbs: knownVerbs(sub.verbs, `${label} ${parent.plural}/${sub.name}`, warnings),
    kind: sub.kind,
    ...(group !== gv.group || version !== gv.version ? { group, version } : {}),
    ...(body ? { body } : {}),
  };
}

function knownVerbs(verbs: readonly string[], where: string, warnings: string[]): Verb[] {
  const unknown = verbs.filter((verb) => !VERBS.has(verb));
  if (unknown.length > 0) warnings.push(`${where}: ignoring verbs ${unknown.join(", ")} (not Kubernetes resource verbs)`);
  return [...new Set(verbs.filter((verb): verb is Verb => VERBS.has(verb)))].sort();
}
