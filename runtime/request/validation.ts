/** A request argument (name, namespace, subresource, query option, body) that cannot be sent as given. */
export class RequestValidationError extends Error {
  override readonly name = "RequestValidationError";
  /** Which argument was rejected, e.g. `name`, `namespace`, `query.limit`, `body.metadata.name`. */
  readonly argument: string;
  constructor(argument: string, reason: string) {
    super(`invalid ${argument}: ${reason}`);
    this.argument = argument;
  }
}

const MAX_NAME_LENGTH = 253;
const MAX_NAMESPACE_LENGTH = 63;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// C0 controls, DEL and C1 controls: never meaningful in a path segment and a classic smuggling vector.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

// Most names and namespaces: nothing below can reject them, so one test settles it on the request path.
const PLAIN_SEGMENT = /^[A-Za-z0-9._~-]+$/;
const FORBIDDEN_CHARACTERS = [
  ["/", "separates path segments"],
  ["%", "starts a percent-escape"],
  ["?", "starts the query string"],
  ["#", "starts a fragment"],
] as const;

/** Shows a rejected value safely in a message: quoted, escaped, and cut short. */
function describeValue(value: string): string {
  return quoted(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** JSON quoting, plus escapes for what JSON leaves raw but a terminal acts on: DEL, C1 controls, bidi controls. */
function quoted(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Checks one path segment (an object name or subresource) so it can never change which URL is addressed:
 * no `.`/`..`, no `/`, no characters that end or escape a path (`?`, `#`, `%`), no control characters.
 */
export function validatePathSegment(argument: string, value: unknown, maxLength = MAX_NAME_LENGTH): string {
  if (typeof value !== "string") throw new RequestValidationError(argument, `expected a string, got ${typeof value}`);
  if (value === "") throw new RequestValidationError(argument, "must not be empty");
  if (value === "." || value === "..") {
    throw new RequestValidationError(argument, `${describeValue(value)} would address a different path`);
  }
  if (value.length > maxLength) {
    throw new RequestValidationError(argument, `is ${value.length} characters long, the limit is ${maxLength}`);
  }
  if (PLAIN_SEGMENT.test(value)) return value;
  for (const [character, why] of FORBIDDEN_CHARACTERS) {
    if (value.includes(character)) {
      throw new RequestValidationError(argument, `${describeValue(value)} contains "${character}", which ${why}`);
    }
  }
  if (CONTROL_CHARACTER.test(value)) {
    throw new RequestValidationError(argument, `${describeValue(value)} contains a control character`);
  }
  return value;
}

/** What HTTP cannot carry in a request target as it is: spaces, control characters, DEL, and beyond Latin-1. */
const UNSENDABLE_IN_PATH = /[^\u0021-\u007e\u00a0-\u00ff]/;

/**
 * Checks a raw request path (built by the caller, e.g. from a discovery answer) for characters that cannot be
 * sent, and names the segment that holds one: a group or resource name from a server is the usual culprit.
 */
export function validateRawPath(path: string): void {
  const found = UNSENDABLE_IN_PATH.exec(path);
  if (found === null) return;
  const code = found[0].codePointAt(0)!;
  const what = code === 0x20 ? "a space" : code < 0x20 || (code >= 0x7f && code <= 0x9f) ? "a control character" : "a character beyond Latin-1";
  const segment = path.slice(path.lastIndexOf("/", found.index) + 1).split(/[/?]/)[0]!;
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  throw new RequestValidationError("path", `${describeValue(path)} holds ${what} (U+${hex}) in the segment ${quoted(segment)}; percent-encode it, or check where that name came from`);
}

/** Object names: any safe path segment up to 253 characters (the server applies per-kind rules). */
export function validateName(value: unknown, argument = "name"): string {
  return validatePathSegment(argument, value, MAX_NAME_LENGTH);
}

/** Namespaces are DNS labels (RFC 1123): lowercase alphanumerics and `-`, at most 63 characters. */
export function validateNamespace(value: unknown, argument = "namespace"): string {
  const namespace = validatePathSegment(argument, value, MAX_NAMESPACE_LENGTH);
  if (!DNS_LABEL.test(namespace)) {
    throw new RequestValidationError(
      argument,
      `${describeValue(namespace)} is not a DNS label: use lowercase letters, digits and "-", starting and ending with a letter or digit`,
    );
  }
  return namespace;
}

/** Subresource names (`status`, `scale`, `eviction`, `token`) are single lowercase words. */
export function validateSubresource(value: unknown, argument = "subresource"): string {
  const subresource = validatePathSegment(argument, value, MAX_NAME_LENGTH);
  if (!/^[a-z][a-z0-9]*$/.test(subresource)) {
    throw new RequestValidationError(argument, `${describeValue(subresource)} is not a subresource name (lowercase letters and digits)`);
  }
  return subresource;
}

/** Group names are DNS subdomains or "" for the core group; versions are like `v1`, `v1beta2`. */
export function validateGroupVersion(group: unknown, version: unknown): void {
  if (typeof group !== "string" || (group !== "" && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(group))) {
    throw new RequestValidationError("group", `${JSON.stringify(group)} is not an API group name ("" for core, else a DNS subdomain)`);
  }
  if (typeof version !== "string" || !/^[a-z0-9]+$/.test(version)) {
    throw new RequestValidationError("version", `${JSON.stringify(version)} is not an API version such as "v1" or "v1beta1"`);
  }
}

/**
 * Checks a duration option: a finite number of milliseconds, above 0 (`"positive"`) or at least 0
 * (`"non-negative"`). Infinity, NaN and strings are refused with an error naming the option.
 */
export function checkDuration(option: string, value: unknown, least: "positive" | "non-negative"): void {
  const fits = typeof value === "number" && Number.isFinite(value) && (least === "positive" ? value > 0 : value >= 0);
  if (!fits) throw new RequestValidationError(option, `${shownOption(value)} is not a finite ${least} number of milliseconds`);
}

/** Checks a size option when it is set: a positive whole number of bytes. */
export function checkOptionalByteCount(option: string, value: unknown): void {
  if (value !== undefined && !(typeof value === "number" && Number.isSafeInteger(value) && value > 0)) {
    throw new RequestValidationError(option, `${shownOption(value)} is not a positive whole number of bytes`);
  }
}

/** Checks a duration option only when it is set. */
export function checkOptionalDuration(option: string, value: unknown, least: "positive" | "non-negative"): void {
  if (value !== undefined) checkDuration(option, value, least);
}

/** An option's value in a message: strings quoted (so "5s" reads as the string it is), the rest as JavaScript prints them. */
function shownOption(value: unknown): string {
  return typeof value === "string" ? describeValue(value) : String(value);
}
