import type { ApiModel, TypeRef } from "../model/ir.js";
import { moduleNamespaceIdentifier, typeIdentifier } from "./escape.js";

/**
 * TypeScript identifiers of every named type, decided once for the whole model so that a module and the
 * modules importing from it agree. Sanitizing can make two names equal (`x-y`, `xY`): the later one in
 * name order gets a number.
 */
export class TypeNames {
  private readonly byModule = new Map<string, Map<string, string>>();

  constructor(model: ApiModel) {
    for (const module of model.modules) {
      const identifiers = new Map<string, string>();
      const taken = new Set<string>(["defineResource"]);
      for (const type of module.types) {
        identifiers.set(type.name, uniqueIdentifier(typeIdentifier(type.name), taken));
      }
      this.byModule.set(module.key, identifiers);
    }
  }

  identifierOf(ref: TypeRef): string {
    const identifier = this.byModule.get(ref.module)?.get(ref.name);
    if (identifier === undefined) throw new Error(`internal: type ${ref.name} of ${ref.module} was not emitted`);
    return identifier;
  }

  /** Identifiers declared by a module (to keep imports from clashing with them). */
  declaredIn(moduleKey: string): Iterable<string> {
    return this.byModule.get(moduleKey)?.values() ?? [];
  }
}

export function uniqueIdentifier(candidate: string, taken: Set<string>): string {
  let identifier = candidate;
  for (let suffix = 2; taken.has(identifier); suffix++) identifier = `${candidate}${suffix}`;
  taken.add(identifier);
  return identifier;
}

/** Namespace names for `index.ts`: short (`rbacAuthorizationV1`) unless two modules would share one. */
export function moduleNamespaces(moduleKeys: readonly string[]): Map<string, string> {
  const shortCounts = new Map<string, number>();
  for (const key of moduleKeys) {
    const short = moduleNamespaceIdentifier(key, "short");
    shortCounts.set(short, (shortCounts.get(short) ?? 0) + 1);
  }
  const taken = new Set<string>();
  const result = new Map<string, string>();
  for (const key of [...moduleKeys].sort()) {
    const short = moduleNamespaceIdentifier(key, "short");
    const candidate = shortCounts.get(short)! > 1 ? moduleNamespaceIdentifier(key, "long") : short;
    result.set(key, uniqueIdentifier(candidate, taken));
  }
  return result;
}
