// The CEL-only verdict on an object: every x-kubernetes-validations rule of its schema run by kubetyped's CEL, as the server words the field errors.
import { compileCelRule, type CelValidationRule, type CompiledCelRule } from "../../runtime/validate/cel/index.js";
import { celFieldError, type FieldErrorType } from "../../runtime/validate/field-error.js";
import type { FieldError, Verdict } from "./run.js";


interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  "x-kubernetes-validations"?: CelValidationRule[];
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
}

/** Compiled rules, once per schema node; a rule kubetyped cannot judge is left out (the server decides it). */
const compiled = new WeakMap<Schema, CompiledCelRule[]>();
export const leftToServer: string[] = [];

function rulesOf(schema: Schema): CompiledCelRule[] {
  let rules = compiled.get(schema);
  if (!rules) {
    rules = [];
    for (const rule of schema["x-kubernetes-validations"] ?? []) {
      const result = compileCelRule(rule, schema);
      if (result.ok) rules.push(result.rule);
      else leftToServer.push(`${rule.rule}: ${result.reason}`);
    }
    compiled.set(schema, rules);
  }
  return rules;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The old item a list item is compared with: only map lists correlate items (by their keys). */
function oldItem(schema: Schema, item: unknown, old: unknown): unknown {
  const keys = schema["x-kubernetes-list-map-keys"];
  if (schema["x-kubernetes-list-type"] !== "map" || !keys || !Array.isArray(old) || !isObject(item)) return undefined;
  return old.find((candidate) => isObject(candidate) && keys.every((key) => candidate[key] === item[key]));
}

function walkChildren(schema: Schema, value: unknown, old: unknown, path: string, errors: FieldError[]): void {
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => walk(schema.items as Schema, item, oldItem(schema, item, old), `${path}[${i}]`, errors));
    return;
  }
  if (!isObject(value)) return;
  const extra = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  for (const [key, child] of Object.entries(value)) {
    const childSchema = schema.properties?.[key] ?? extra;
    const childPath = extra && !schema.properties?.[key] ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (childSchema && child !== null) walk(childSchema, child, isObject(old) ? old[key] : undefined, childPath, errors);
  }
}

function walk(schema: Schema, value: unknown, old: unknown, path: string, errors: FieldError[]): void {
  for (const rule of rulesOf(schema)) {
    const violation = rule.check(value, old ?? undefined);
    if (violation) errors.push({ field: path + (violation.fieldPath ?? ""), reason: violation.reason, message: celFieldError(violation.reason as FieldErrorType, "", value, violation.message).message });
  }
  walkChildren(schema, value, old, path, errors);
}

/** Field errors kubetyped's CEL finds in `object` (with `old` on an update) under a CRD version's openAPIV3Schema. */
export function celVerdict(schema: unknown, object: unknown, old?: unknown): FieldError[] {
  const errors: FieldError[] = [];
  walk(schema as Schema, object, old, "", errors);
  return errors;
}

/** The verdict of CEL rules alone (built-ins have none): what this branch measures before the schema validators join. */
export const celOnlyVerdict: Verdict = ({ target, object, old }) => (target.schema ? celVerdict(target.schema, object, old) : []);
