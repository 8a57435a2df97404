import { RequestValidationError } from "./request/validation.js";

/**
 * Typed builders of `labelSelector` and `fieldSelector` strings, validated by the rules the API server
 * applies, so a typo fails here with the key's name instead of as a 400 from the server.
 *
 * ```ts
 * pods.list({ labelSelector: labels({ app: "web", tier: ["a", "b"], canary: doesNotExist() }) }); // app=web,tier in (a,b),!canary
 * pods.list({ fieldSelector: fields({ "spec.nodeName": "node-1", "status.phase": ["!=", "Running"] }) });
 * ```
 */

/**
 * The `labelSelector`/`fieldSelector` options: strings, built with `labels({...})`/`fields({...})`. An object
 * given instead meets the union member whose one property name is the fix. `F`: the field paths the resource's
 * selectors may name beside `metadata.name`/`metadata.namespace` (a CRD's `selectableFields`); `string` when not
 * known, and then any string is taken.
 */
export interface SelectorOptions<F extends string = string> {
  labelSelector?: string | { "build the string with labels({...})": never } | undefined;
  fieldSelector?: FieldSelectorOption<F> | undefined;
}

/**
 * `fieldSelector` where the selectable fields are known: only `fields({...})` over them, so another path is a
 * compile error naming those it may be (`FieldSelector<"metadata.name" | "metadata.namespace" | "spec.color">`).
 */
export type FieldSelectorOption<F extends string> = string extends F
  ? string | { "build the string with fields({...})": never }
  : FieldSelector<F | "metadata.name" | "metadata.namespace">; // spelled out, so messages show them

const requirementTag: unique symbol = Symbol("kubetyped.labelRequirement");

/** A set-based or negated label requirement made by `exists`, `doesNotExist`, `notIn` or `notEqual`. */
export interface LabelRequirement {
  readonly [requirementTag]: "exists" | "doesNotExist" | "notIn" | "notEqual";
  readonly values: readonly string[];
}

/**
 * What a key of `labels({...})` may say: a value (`key=value`), a non-empty list (`key in (a,b)`), or a
 * requirement from `exists()`, `doesNotExist()`, `notIn(...)`, `notEqual(...)`.
 */
export type LabelSelectorValue = string | readonly string[] | LabelRequirement;

/** The label key exists, whatever its value: `key`. */
export function exists(): LabelRequirement {
  return { [requirementTag]: "exists", values: [] };
}

/** The label key is absent: `!key`. */
export function doesNotExist(): LabelRequirement {
  return { [requirementTag]: "doesNotExist", values: [] };
}

/** The label is absent or has none of these values: `key notin (a,b)`. */
export function notIn(...values: readonly string[]): LabelRequirement {
  return { [requirementTag]: "notIn", values };
}

/** The label is absent or has another value: `key!=value`. */
export function notEqual(value: string): LabelRequirement {
  return { [requirementTag]: "notEqual", values: [value] };
}

/**
 * A `labelSelector` from requirements that must all hold, in the order given:
 * `labels({ app: "web", tier: ["a", "b"] })` → `app=web,tier in (a,b)`. `{}` selects everything ("").
 */
export function labels(requirements: { readonly [key: string]: LabelSelectorValue }): string {
  return Object.entries(requirements)
    .map(([key, requirement]) => labelRequirementText(key, requirement))
    .join(",");
}

/** The shape of `metav1.LabelSelector` (a Deployment's `spec.selector`, a Service's pod selector as `matchLabels`). */
export interface LabelSelectorObject {
  matchLabels?: { readonly [key: string]: string } | undefined;
  matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] | undefined }[] | undefined;
}

/**
 * The query string of a `LabelSelector` object, as kubectl and controllers turn `spec.selector` into a list
 * query: `labelsFromSelector(deployment.spec!.selector)` → `app=web,tier in (a,b)`.
 */
export function labelsFromSelector(selector: LabelSelectorObject): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => labelRequirementText(key, value));
  for (const [index, expression] of (selector.matchExpressions ?? []).entries()) {
    const values = expression.values ?? [];
    const where = `matchExpressions[${index}]`;
    switch (expression.operator) {
      case "In":
        parts.push(labelRequirementText(expression.key, values, where));
        break;
      case "NotIn":
        parts.push(labelRequirementText(expression.key, notIn(...values), where));
        break;
      case "Exists":
        parts.push(labelRequirementText(expression.key, exists(), where));
        break;
      case "DoesNotExist":
        parts.push(labelRequirementText(expression.key, doesNotExist(), where));
        break;
      default:
        throw new RequestValidationError(
          `labelSelector.${where}.operator`,
          `${JSON.stringify(expression.operator)} is not one of In, NotIn, Exists, DoesNotExist`,
        );
    }
  }
  return parts.join(",");
}

function labelRequirementText(key: string, requirement: LabelSelectorValue, where = key): string {
  validateLabelKey(key, where);
  if (typeof requirement === "string") return `${key}=${validLabelValue(requirement, where)}`;
  if (isRequirement(requirement)) {
    const kind = requirement[requirementTag];
    switch (kind) {
      case "exists":
        return key;
      case "doesNotExist":
        return `!${key}`;
      case "notEqual":
        return `${key}!=${validLabelValue(requirement.values[0] ?? "", where)}`;
      case "notIn":
        return `${key} notin (${valueList(requirement.values, where, "notIn")})`;
    }
  }
  if (Array.isArray(requirement)) return `${key} in (${valueList(requirement as readonly string[], where, "in")})`;
  throw new RequestValidationError(
    `labelSelector[${JSON.stringify(where)}]`,
    "expected a string, a list of strings, or exists() / doesNotExist() / notIn(...) / notEqual(...)",
  );
}

function isRequirement(value: LabelSelectorValue): value is LabelRequirement {
  return typeof value === "object" && value !== null && requirementTag in value;
}

function valueList(values: readonly string[], where: string, operator: string): string {
  if (values.length === 0) {
    throw new RequestValidationError(`labelSelector[${JSON.stringify(where)}]`, `\`${operator}\` needs at least one value (Kubernetes rejects an empty set)`);
  }
  // The server treats the values as a set; sorted output makes equal selectors equal strings.
  return [...new Set(values.map((value) => validLabelValue(value, where)))].sort().join(",");
}

// Label names and values: up to 63 characters, alphanumerics at both ends, `-`, `_`, `.` inside.
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
// The optional key prefix is a DNS subdomain: lowercase labels joined by dots, up to 253 characters.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validateLabelKey(key: string, where: string): void {
  const argument = `labelSelector key ${JSON.stringify(where)}`;
  const slash = key.indexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    throw new RequestValidationError(argument, `prefix ${JSON.stringify(prefix)} must be a DNS subdomain (lowercase letters, digits, '-', '.'; at most 253 characters), e.g. app.kubernetes.io/name`);
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    throw new RequestValidationError(
      argument,
      `name ${JSON.stringify(name)} must be 1–63 characters: letters, digits, '-', '_', '.', starting and ending with a letter or digit`,
    );
  }
}

function validLabelValue(value: string, where: string): string {
  if (typeof value !== "string") throw new RequestValidationError(`labelSelector[${JSON.stringify(where)}]`, `expected a string value, got ${typeof value}`);
  if (value !== "" && (value.length > 63 || !LABEL_NAME.test(value))) {
    throw new RequestValidationError(
      `labelSelector[${JSON.stringify(where)}]`,
      `value ${JSON.stringify(value.length > 70 ? `${value.slice(0, 70)}…` : value)} must be empty or 1–63 characters: letters, digits, '-', '_', '.', starting and ending with a letter or digit`,
    );
  }
  return value;
}

/** Field paths every resource supports; others (`spec.nodeName`, `status.phase`, ...) depend on the resource. */
export type CommonFieldPath = "metadata.name" | "metadata.namespace";

declare const fieldPaths: unique symbol;
/**
 * A `fieldSelector` string that remembers, in its type only, the paths `P` it selects on: what `fields({...})`
 * answers. It is a string wherever one is taken; a resource whose selectable fields are known takes only those.
 */
export type FieldSelector<P extends string = string> = string & { readonly [fieldPaths]: P };

/** What a key of `fields({...})` may say: a value (`path=value`), or `["=", value]` / `["!=", value]`. */
export type FieldSelectorValue = string | readonly ["=" | "==" | "!=", string];

/**
 * A `fieldSelector` from requirements that must all hold, in the order given:
 * `fields({ "metadata.name": "x", "status.phase": ["!=", "Running"] })` → `metadata.name=x,status.phase!=Running`.
 * Values are escaped as the server expects (`\`, `,` and `=` get a backslash). Field selectors have no
 * set-based form: select on a label for that.
 */
export function fields<P extends string>(requirements: { readonly [K in P | CommonFieldPath]?: FieldSelectorValue | undefined }): FieldSelector<P> {
  const parts: string[] = [];
  for (const [path, requirement] of Object.entries(requirements)) {
    if (requirement === undefined) continue;
    validateFieldPath(path);
    if (!Array.isArray(requirement) && typeof requirement !== "string") {
      throw new RequestValidationError(`fieldSelector[${JSON.stringify(path)}]`, 'expected a string or ["=" | "!=", value]');
    }
    const [operator, value] = typeof requirement === "string" ? (["=", requirement] as const) : requirement;
    if (operator !== "=" && operator !== "==" && operator !== "!=") {
      throw new RequestValidationError(
        `fieldSelector[${JSON.stringify(path)}]`,
        `operator ${JSON.stringify(operator)} is not "=", "==" or "!=" (field selectors have no set-based form; use a label selector)`,
      );
    }
    if (typeof value !== "string") {
      throw new RequestValidationError(`fieldSelector[${JSON.stringify(path)}]`, `expected a string value, got ${typeof value}`);
    }
    parts.push(`${path}${operator === "!=" ? "!=" : "="}${escapeFieldValue(value)}`);
  }
  return parts.join(",") as FieldSelector<P>;
}

/** Escapes a field selector value: `\` → `\\`, `,` → `\,`, `=` → `\=` (what the server unescapes). */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (character) => `\\${character}`);
}

// A dotted field path (`metadata.name`, `involvedObject.kind`, `spec.nodeName`).
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

function validateFieldPath(path: string): void {
  if (!FIELD_PATH.test(path)) {
    throw new RequestValidationError(
      `fieldSelector key ${JSON.stringify(path)}`,
      "must be a dotted field path such as metadata.name, spec.nodeName or status.phase",
    );
  }
}
