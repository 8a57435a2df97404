// Kubernetes' CEL format library (served from 1.31): format.<name>() and format.named(), whose validate() answers optional.none or the list of errors apimachinery gives.
import { celFunc, celMethod, CelScalar, type CelFunc } from "@bufbuild/cel";
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from "../../formats.js";
import { opaqueType } from "../opaque.js";
import { GoUrlError, parseRequestUri } from "./go-url.js";
import { OPTIONAL, optionalOf } from "./optional.js";

const { STRING } = CelScalar;
const Format = opaqueType<string>("Format");
const FORMAT = Format.type;

const LABEL = DNS1123_LABEL;
const SUBDOMAIN = DNS1123_SUBDOMAIN;
const DNS1035 = "[a-z]([-a-z0-9]*[a-z0-9])?";
const KEY_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const whole = (pattern: string) => new RegExp(`^${pattern}$`);

/** util/validation's wording (the DNS names) and api/validate/content's (label keys and values), as v1.37.2 answers them. */
const maxLength = (n: number) => `must be no more than ${n} characters`;
const maxBytes = (n: number) => `must be no more than ${n} bytes`;
function regexError(message: string, pattern: string, ...examples: string[]): string {
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(" or ")}regex used for validation is '${pattern}')`;
}
const byteLength = (text: string) => new TextEncoder().encode(text).length;

function dns1123Label(value: string): string[] {
  const errors = byteLength(value) > 63 ? [maxLength(63)] : [];
  if (whole(LABEL).test(value)) return errors;
  const message = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  return [...errors, whole(SUBDOMAIN).test(value) ? "must not contain dots" : regexError(message, LABEL, "my-name", "123-abc")];
}

function dns1123Subdomain(value: string): string[] {
  const errors = byteLength(value) > 253 ? [maxLength(253)] : [];
  const message = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  return whole(SUBDOMAIN).test(value) ? errors : [...errors, regexError(message, SUBDOMAIN, "example.com")];
}

function dns1035Label(value: string): string[] {
  const errors = byteLength(value) > 63 ? [maxLength(63)] : [];
  const message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
  return whole(DNS1035).test(value) ? errors : [...errors, regexError(message, DNS1035, "my-name", "abc-123")];
}

const KEY_MESSAGE = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** apimachinery's IsQualifiedName (a label key): an optional DNS subdomain prefix and '/', then a name. */
function qualifiedName(value: string): string[] {
  const parts = value.split("/");
  if (parts.length > 2) return [`a valid label key ${regexError(KEY_MESSAGE, KEY_NAME, "MyName", "my.name", "123-abc")} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const errors: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    errors.push(...(prefix === "" ? ["prefix part must be non-empty"] : dns1123Subdomain(prefix).map((e) => `prefix part ${e}`)));
  }
  const name = parts[parts.length - 1] as string;
  if (name === "") errors.push("name part must be non-empty");
  else if (byteLength(name) > 63) errors.push(`name part ${maxBytes(63)}`);
  if (!whole(KEY_NAME).test(name)) errors.push(`name part ${regexError(KEY_MESSAGE, KEY_NAME, "MyName", "my.name", "123-abc")}`);
  return errors;
}

function labelValue(value: string): string[] {
  const errors = byteLength(value) > 63 ? [maxBytes(63)] : [];
  const message = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return whole(`(${KEY_NAME})?`).test(value) ? errors : [...errors, regexError(message, `(${KEY_NAME})?`, "MyValue", "my_value", "12345")];
}

/** Go's %q for the strings whose quoting is JSON's (printable ASCII); others are left to the server. */
function goQuote(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error("an error message quoting non-ASCII text is left to the server");
  return JSON.stringify(text);
}

function uri(value: string): string[] {
  try {
    parseRequestUri(value);
    return [];
  } catch (error) {
    if (error instanceof GoUrlError) return [`parse ${goQuote(value)}: ${error.message}`];
    throw error;
  }
}

/** apimachinery's NameIsDNS*(name, prefix=true): a trailing dash stands for the generated suffix (its quirk: the last two characters become "a"). */
function asPrefix(check: (value: string) => string[]): (value: string) => string[] {
  return (value) => {
    // a lone dash is read differently by server versions, and Go cuts bytes where JavaScript cuts UTF-16 units
    if (value === "-" || /[^\x00-\x7f]/.test(value)) throw new Error("this name prefix is left to the server");
    return check(value.endsWith("-") ? `${value.slice(0, -2)}a` : value);
  };
}

/** The formats kubetyped checks exactly; uuid, byte, date and datetime are strfmt's and left to the server. */
const CHECKS: Record<string, (value: string) => string[]> = {
  dns1123Label,
  dns1123Subdomain,
  dns1035Label,
  qualifiedName,
  dns1123LabelPrefix: asPrefix(dns1123Label),
  dns1123SubdomainPrefix: asPrefix(dns1123Subdomain),
  dns1035LabelPrefix: asPrefix(dns1035Label),
  labelValue,
  uri,
};
const SERVER_ONLY = new Set(["uuid", "byte", "date", "datetime"]);

const format = (name: string) => Format.make(name, name) as never;

function validate(name: string, value: string): unknown {
  const check = CHECKS[name];
  if (!check) throw new Error(`format.${name}() is left to the server`);
  const errors = check(value);
  return optionalOf(errors.length === 0 ? undefined : errors);
}

export const formatFunctions: CelFunc[] = [
  ...Object.keys(CHECKS).map((name) => celFunc(`format.${name}`, [], FORMAT, () => format(name))),
  celFunc("format.named", [STRING], OPTIONAL, (name) => {
    if (!(name in CHECKS) && !SERVER_ONLY.has(name)) return optionalOf(undefined) as never;
    return optionalOf(format(name)) as never;
  }),
  celMethod("validate", FORMAT, [STRING], OPTIONAL, function (value) {
    return validate(Format.read(this), value) as never;
  }),
];
