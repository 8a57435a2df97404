// The schemas a generated validation module reaches, by reference: shared by the interpreter and the patch appliers.
import type { SchemaNode, ValidationModule } from "../api/validation-schema.js";

/** Every schema the module reaches, by `"<module>#<name>"`. */
function registryOf(root: ValidationModule): (ref: string) => SchemaNode {
  const modules = new Map<string, ValidationModule>();
  const pending = [root];
  while (pending.length > 0) {
    const module = pending.pop()!;
    if (modules.has(module.module)) continue;
    modules.set(module.module, module);
    pending.push(...(Object.values(module.imports) as ValidationModule[]));
  }
  return (ref) => {
    const hash = ref.lastIndexOf("#");
    const schema = modules.get(ref.slice(0, hash))?.schemas[ref.slice(hash + 1)];
    // An unknown reference constrains nothing (the generator emits every schema it references).
    return schema ?? {};
  };
}

const registries = new WeakMap<ValidationModule, (ref: string) => SchemaNode>();

/** The schemas a module reaches, by `"<module>#<name>"` (made once per module). */
export function schemaResolver(module: ValidationModule): (ref: string) => SchemaNode {
  let resolve = registries.get(module);
  if (resolve === undefined) {
    resolve = registryOf(module);
    registries.set(module, resolve);
  }
  return resolve;
}
