// `validate()`: an object checked against its resource's generated schema data, answering the field errors a 422 would hold.
import type { FieldError } from "./field-error.js";
import type { SchemaNode, ValidationModule } from "../api/validation-schema.js";
import { schemaResolver } from "./schema-registry.js";
import { finish, isObject, SchemaWalker, type WalkOptions } from "./walker.js";

export { formatFieldError, invalidStatus, type FieldError, type FieldErrorType } from "./field-error.js";
export type { SchemaNode, ValidationModule, ValidationSource } from "../api/validation-schema.js";
export { translatePattern } from "./regexp.js";
// The generator asks at generation which CEL rules the validators can check (and names the others once).
export { compileCelRule } from "./cel/index.js";
// ... and which of them the server would refuse for cost (left to it, named once too).
export { CRD_COST_LIMIT, RULE_COST_LIMIT, estimateCelCost, formatCost, weightedRuleCost, type CostSchema } from "./cel/cost.js";

export { NoValidationSchemaError } from "./attach.js";

export interface ValidateOptions {
  /** The object as it is on the server: transition rules (`oldSelf`) are checked only with it. */
  old?: unknown;
  /** A server-side apply configuration (only some fields): checks that need the whole object are left to the server. */
  partial?: boolean;
  /** The object may be on the server already, its old state not given: transition rules are left to the server. */
  oldUnknown?: boolean;
}

/** The field errors the server would give for `object`, checked against the schema a module holds. */
export function validateWithModule(module: ValidationModule, type: string, object: unknown, skipStatus: boolean, options: ValidateOptions = {}): FieldError[] {
  const resolve = schemaResolver(module);
  const walkOptions: WalkOptions = {
    ...(options.old !== undefined && { old: options.old }),
    ...(options.partial && { partial: true }),
    ...(options.oldUnknown && { oldUnknown: true }),
  };
  const walker = new SchemaWalker(resolve, walkOptions);
  const root = `${module.module}#${type}`;
  const checked = skipStatus && isObject(object) ? withoutStatus(object) : object;
  walker.hasRules = hasRules(root, resolve);
  walker.walk({ $ref: root }, checked, "", options.old);
  if (!options.partial) walker.errors.push(...nameErrors(checked));
  return finish(walker);
}

/** Per registry (one per generated set), per root. */
const rulesByRoot = new WeakMap<(ref: string) => SchemaNode, Map<string, boolean>>();

/** Whether any schema the root reaches has `x-kubernetes-validations` (the server then notes rules it skipped). */
function hasRules(root: string, resolve: (ref: string) => SchemaNode): boolean {
  const cache = rulesByRoot.get(resolve) ?? new Map<string, boolean>();
  rulesByRoot.set(resolve, cache);
  const known = cache.get(root);
  if (known !== undefined) return known;
  const seen = new Set<SchemaNode>();
  const pending: SchemaNode[] = [resolve(root)];
  let found = false;
  while (pending.length > 0 && !found) {
    const node = pending.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    found = node["x-kubernetes-validations"] !== undefined;
    if (node.$ref !== undefined) pending.push(resolve(node.$ref));
    pending.push(...Object.values(node.properties ?? {}), ...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? []));
    if (node.items !== undefined) pending.push(node.items);
    if (typeof node.additionalProperties === "object") pending.push(node.additionalProperties);
  }
  cache.set(root, found);
  return found;
}

/** With a status subresource, the server ignores `status` on writes of the object itself. */
function withoutStatus(object: Record<string, unknown>): Record<string, unknown> {
  const { status: _, ...rest } = object;
  return rest;
}

/** `metadata.name: Required value: name or generateName is required`, as the server checks every object. */
function nameErrors(object: unknown): FieldError[] {
  const metadata = isObject(object) && isObject(object["metadata"]) ? object["metadata"] : {};
  if (metadata["name"] || metadata["generateName"]) return [];
  return [{ type: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" }];
}
