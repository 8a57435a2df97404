// Field errors as the API server words them (apimachinery's field.Error) and the 422 Status they add up to.
import type { Status, StatusCause } from "../api/objects.js";
import { StatusError } from "../rest/status-errors.js";

/** The `StatusCause` types the server gives field errors (`FieldValueInvalid`, ...). */
export type FieldErrorType =
  | "FieldValueRequired"
  | "FieldValueInvalid"
  | "FieldValueTypeInvalid"
  | "FieldValueNotSupported"
  | "FieldValueDuplicate"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "FieldValueForbidden";

/** One problem with one field: what `details.causes[]` of the server's 422 holds, plus the value. */
export interface FieldError {
  type: FieldErrorType;
  /** `spec.template.spec.containers[0].name`. */
  field: string;
  /** The cause's message, without the field: `Invalid value: -1: must be greater than or equal to 0`. */
  message: string;
}

const TITLES: Readonly<Record<FieldErrorType, string>> = {
  FieldValueRequired: "Required value",
  FieldValueInvalid: "Invalid value",
  FieldValueTypeInvalid: "Invalid value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueDuplicate: "Duplicate value",
  FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many",
  FieldValueForbidden: "Forbidden",
};
/** Types whose message never shows the value (field.Error.ErrorBody). */
const WITHOUT_VALUE: ReadonlySet<FieldErrorType> = new Set(["FieldValueRequired", "FieldValueForbidden", "FieldValueTooLong"]);

/** A field error worded as the server words it: `<title>[: <value>][: <detail>]`. */
export function fieldError(type: FieldErrorType, field: string, value: unknown, detail = ""): FieldError {
  let message = TITLES[type];
  if (!WITHOUT_VALUE.has(type)) message += `: ${goValue(value)}`;
  if (detail !== "") message += `: ${detail}`;
  return { type, field, message };
}

/**
 * A CEL rule's violation as the server words it: the node's value shown only when it is a scalar, and a duplicate
 * without the rule's message (checked cause for cause against a live v1.37).
 */
export function celFieldError(type: FieldErrorType, field: string, value: unknown, detail: string): FieldError {
  const scalar = typeof value !== "object" || value === null;
  if (type === "FieldValueDuplicate") return { type, field, message: scalar ? `Duplicate value: ${goValue(value)}` : "Duplicate value" };
  if (WITHOUT_VALUE.has(type) || !scalar) return { type, field, message: `${TITLES[type]}: ${detail}` };
  return fieldError(type, field, value, detail);
}

/** A value as Go's `%v`/`%q` prints what JSON decoded to: strings quoted, numbers and booleans bare, the rest as JSON. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** `spec.replicas: Invalid value: -1: must be greater than or equal to 0`, as `kubectl` prints a cause. */
export function formatFieldError(error: FieldError): string {
  return error.field === "" ? error.message : `${error.field}: ${error.message}`;
}

/** What the object is, for the Status message: `Deployment.apps "web"`. */
export interface InvalidObject {
  group: string;
  kind: string;
  name: string;
}

/** The 422 `Status` the server answers for these errors (apimachinery's `errors.NewInvalid`). */
export function invalidStatus(object: InvalidObject, errors: readonly FieldError[]): Status {
  const qualified = object.group === "" ? object.kind : `${object.kind}.${object.group}`;
  const messages = [...new Set(errors.map(formatFieldError))];
  const list = messages.length === 1 ? messages[0]! : `[${messages.join(", ")}]`;
  const causes: StatusCause[] = errors.map((error) => ({ reason: error.type, message: error.message, field: error.field }));
  return {
    kind: "Status",
    apiVersion: "v1",
    status: "Failure",
    code: 422,
    reason: "Invalid",
    message: `${qualified} ${JSON.stringify(object.name)} is invalid: ${list}`,
    details: { group: object.group, kind: object.kind, name: object.name, causes },
  };
}

/** The same `StatusError` (`isInvalid`) a 422 from the server becomes, so one `catch` handles both; `method`/`url` say it never left. */
export function invalidError(object: InvalidObject, errors: readonly FieldError[], method = "VALIDATE"): StatusError {
  return new StatusError(invalidStatus(object, errors), { method, url: "(checked before sending)" });
}
