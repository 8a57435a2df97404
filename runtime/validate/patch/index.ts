// The object a patch would make of the object the caller has, for the before-send check: merge, JSON and strategic merge patches, applied as the server applies them.
import type { ValidationModule } from "../../api/validation-schema.js";
import { schemaResolver } from "../schema-registry.js";
import { isObject } from "../walker.js";
import { applyJsonPatch } from "./json.js";
import { applyMergePatch } from "./merge.js";
import { applyStrategicPatch } from "./strategic.js";

/**
 * What `patch` of type `type` turns `old` into, or `undefined` when that is not certain here (the patch is then sent
 * unchecked and the server judges it): a body that is not JSON of the type's shape, a JSON patch the server might
 * read otherwise or whose `test` fails, a strategic merge patch on a kind the module does not mark as built-in.
 */
export function patchedObject(module: ValidationModule, type: string, patchType: string, old: unknown, patch: unknown): unknown {
  const body = typeof patch === "string" ? parsed(patch) : patch;
  if (!isObject(old)) return undefined;
  if (patchType === "json") return Array.isArray(body) ? applyJsonPatch(old, body) : undefined;
  if (!isObject(body)) return undefined;
  if (patchType === "merge") return applyMergePatch(old, body);
  if (patchType !== "strategic") return undefined;
  const resolve = schemaResolver(module);
  const root = resolve(`${module.module}#${type}`);
  return root["x-kubetyped-strategic-merge"] === true ? applyStrategicPatch(old, body, root, resolve) : undefined;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
