import type { NamedType, SchemaType, TypeRef } from "./ir.js";

/**
 * A named type that is only a reference (or a union of references) back to itself, directly or through
 * other such types (`A = $ref B`, `B = $ref A`), has no structure: TypeScript rejects the aliases as
 * circular. Types on such a cycle become `unknown`, with a warning naming each one. Cycles through
 * objects or arrays are real recursion and stay.
 */
export function breakAliasCycles(converted: Map<string, { types: NamedType[] }>, warnings: string[]): void {
  const byId = new Map<string, NamedType>();
  for (const [module, entry] of converted) for (const type of entry.types) byId.set(idOf({ module, name: type.name }), type);

  // Depth-first with an explicit stack: a hostile document may chain thousands of aliases.
  const state = new Map<string, "visiting" | "done">();
  const onCycle = new Set<string>();
  for (const root of byId.keys()) {
    if (state.has(root)) continue;
    const path: { id: string; targets: TypeRef[]; next: number }[] = [];
    const enter = (id: string) => {
      state.set(id, "visiting");
      path.push({ id, targets: aliasTargets(byId.get(id)!.type), next: 0 });
    };
    enter(root);
    while (path.length > 0) {
      const frame = path.at(-1)!;
      const target = frame.targets[frame.next++];
      if (target === undefined) {
        state.set(frame.id, "done");
        path.pop();
        continue;
      }
      const id = idOf(target);
      if (!byId.has(id) || state.get(id) === "done") continue;
      if (state.get(id) === "visiting") {
        for (const member of path.slice(path.findIndex((entry) => entry.id === id))) onCycle.add(member.id);
        continue;
      }
      enter(id);
    }
  }

  for (const id of [...onCycle].sort()) {
    const type = byId.get(id)!;
    warnings.push(`${type.source}: a $ref cycle without any object or array in it (${type.name} refers back to itself); typed as unknown`);
    type.type = { kind: "unknown" };
  }
}

/** References a type alias would spell directly (not inside an object or array). */
function aliasTargets(type: SchemaType): TypeRef[] {
  if (type.kind === "ref") return [type.target];
  if (type.kind === "union") return type.variants.flatMap(aliasTargets);
  return [];
}

function idOf(ref: TypeRef): string {
  return `${ref.module}\u0000${ref.name}`;
}
