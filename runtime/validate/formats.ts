// The formats the API server checks in a custom resource (apiextensions' supported set, each checked by kube-openapi's strfmt registry), each as loose as Go's parser: a format not listed is left to the server.
import { parsesAsCIDR, parsesAsIP, parsesAsMAC } from "./net-formats.js";

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
/** govalidator's base64: whole padded groups of the standard alphabet, at least one. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
/** strfmt's RFC 1034 host name, symbols and letters included (used on ASCII only: Go's and JavaScript's Unicode tables may differ). */
const HOSTNAME =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z0-9\p{S}\p{L}])(-?[a-zA-Z0-9\p{S}\p{L}]){1,62})$/u;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Checks that answer exactly as Go does. */
/** apimachinery's DNS-1123 label and subdomain patterns: the `k8s-*-name` formats here, CEL's `format.*` library too. */
export const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
export const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;

const EXACT: Readonly<Record<string, (value: string) => boolean>> = {
  datetime: isDateTime,
  date: isDate,
  uuid: (value) => UUID.test(value),
  uuid3: (value) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(value),
  uuid4: (value) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(value),
  uuid5: (value) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(value),
  hexcolor: (value) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(value),
  // A parsed address with a dot (ipv4, sloppy) or a colon (ipv6, today's Go) in the text: `::ffff:1.2.3.4` is both.
  ipv4: (value) => parsesAsIP(value) && value.includes("."),
  ipv6: (value) => parsesAsIP(value, true) && value.includes(":"),
  cidr: parsesAsCIDR,
  mac: parsesAsMAC,
  bsonobjectid: (value) => /^[0-9a-fA-F]{24}$/.test(value),
  password: () => true,
  // govalidator's patterns; Go's `\s` is [\t\n\f\r ] only.
  rgbcolor: (value) => new RegExp(`^rgb\\(${RGB_PART},${RGB_PART},${RGB_PART}\\)$`).test(value),
  ssn: (value) => value.length === 11 && /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(value),
  isbn: (value) => isIsbn(value, 10) || isIsbn(value, 13),
  isbn10: (value) => isIsbn(value, 10),
  isbn13: (value) => isIsbn(value, 13),
  // Present in the data only where the generator saw a server that checks them (1.34 on): DNS-1123 names in lower case.
  k8sshortname: (value) => value.length <= 63 && new RegExp(`^${DNS1123_LABEL}$`).test(value),
  k8slongname: (value) => value.length <= 253 && new RegExp(`^${DNS1123_SUBDOMAIN}$`).test(value),
};

const RGB_PART = "[\\t\\n\\f\\r ]*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])[\\t\\n\\f\\r ]*";

/**
 * Checks that refuse only what Go surely refuses and leave the rest to the server: the rest of
 * url.ParseRequestURI and mail.ParseAddress, strfmt's duration words, non-ASCII host names, an empty or
 * line-broken `byte` (a built-in's Go decoder takes both).
 */
const LOOSE: Readonly<Record<string, (value: string) => boolean | "unsure">> = {
  byte: (value) => (value === "" || /[\r\n]/.test(value) ? "unsure" : BASE64.test(value)),
  hostname: (value) => (/[^\x00-\x7f]/.test(value) ? "unsure" : isHostname(value)),
  email: mayBeEmail,
  uri: (value) => mayBeRequestUri(value) && "unsure",
  // time.ParseDuration needs a unit after every number but a lone 0; strfmt's fallback finds `<digits> <word>` anywhere.
  duration: (value) => (/[0-9].*[A-Za-z\u00b5\u03bc]/s.test(value) || /^[+-]?0$/.test(value)) && "unsure",
};

/** The formats apiextensions keeps in a CRD schema, matched after dropping `-` (case kept); any other is stripped before validation. */
const SERVER_STRING_FORMATS: ReadonlySet<string> = new Set([
  "bsonobjectid", "uri", "email", "hostname", "ipv4", "ipv6", "cidr", "mac", "uuid", "uuid3", "uuid4", "uuid5", "isbn", "isbn10",
  "isbn13", "creditcard", "ssn", "hexcolor", "rgbcolor", "byte", "password", "date", "duration", "datetime",
  // checked by newer servers only: k8s-* from 1.34, quantity not yet by v1.37.2
  "quantity", "k8sshortname", "k8slongname",
]);

/**
 * The format the server validates `type` with: apiextensions strips every other one from a CRD schema before
 * kube-openapi sees it (`date_time`, `DateTime`, `int-or-string` and `uint32` are never checked).
 */
export function serverFormat(type: string | undefined, format: string | undefined): string | undefined {
  if (format === undefined) return undefined;
  if (type === undefined || type === "string") return SERVER_STRING_FORMATS.has(format.replace(/-/g, "")) ? format : undefined;
  if (type === "integer") return format === "int32" || format === "int64" ? format : undefined;
  if (type === "number") return format === "float" || format === "double" ? format : undefined;
  return undefined;
}

/**
 * `false` only when the server's format check surely refuses `value`; `"unsure"` when it may (a check left to the
 * server in whole, creditcard and quantity, or in part, the LOOSE ones), so that `not` and `oneOf` never count on it.
 */
export function matchesFormat(type: string | undefined, format: string, value: string): boolean | "unsure" {
  const kept = serverFormat(type, format)?.replace(/-/g, "");
  if (kept === undefined || type === "integer" || type === "number") return true;
  // A lone surrogate reaches Go as U+FFFD, which JavaScript's checks would read differently.
  if (LONE_SURROGATE.test(value)) return "unsure";
  const exact = EXACT[kept];
  if (exact !== undefined) return exact(value);
  return LOOSE[kept]?.(value) ?? "unsure";
}

/** Go's `time.Parse("2006-01-02")`: a real calendar day (the live v1.37.2 refuses a signed year). */
function isDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match !== null && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A day the Gregorian calendar has (February 29 in leap years only); the year itself is not judged. */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** strfmt's `IsDateTime`: lower-cased, split at `t`, a date before it and `hh:mm:ss[.frac](z|±hh:mm)` after (any character before the fraction, as Go's `.`; extra `t` parts ignored). */
function isDateTime(value: string): boolean {
  if (value.length < 4) return false;
  const parts = value.toLowerCase().split("t");
  if (parts.length < 2 || !isDate(parts[0]!)) return false;
  const time = /^([0-9]{2}):([0-9]{2}):([0-9]{2})([^\n][0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/u.exec(parts[1]!);
  return time !== null && time[1]! <= "23" && time[2]! <= "59" && time[3]! <= "59";
}

/** strfmt's `IsHostname` for ASCII names: the pattern, 255 bytes in all and 63 per label. */
function isHostname(value: string): boolean {
  return HOSTNAME.test(value) && value.length <= 255 && value.split(".").every((label) => label.length <= 63);
}

/** govalidator's `IsISBN`: blanks and dashes dropped, then the digits and their checksum. */
function isIsbn(value: string, version: 10 | 13): boolean {
  const digits = value.replace(/[\t\n\f\r -]+/g, "");
  const at = (index: number) => digits.charCodeAt(index) - 48;
  if (version === 10) {
    if (!/^(?:[0-9]{9}X|[0-9]{10})$/.test(digits)) return false;
    let sum = digits[9] === "X" ? 100 : 10 * at(9);
    for (let index = 0; index < 9; index++) sum += (index + 1) * at(index);
    return sum % 11 === 0;
  }
  if (!/^[0-9]{13}$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < 12; index++) sum += (index % 2 === 0 ? 1 : 3) * at(index);
  return at(12) === (10 - (sum % 10)) % 10;
}

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOT_ATOM = new RegExp(`^${ATOM}(\\.${ATOM})*$`);

/**
 * Go's `mail.ParseAddress` decided only for text made of ASCII atoms, dots and `@` (as the live v1.37.2 answered):
 * exactly `dot-atom@dot-atom`; text with quotes, names, blanks or comments is the server's.
 */
function mayBeEmail(value: string): boolean | "unsure" {
  if (!value.includes("@")) return false;
  if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]+$/.test(value)) return "unsure";
  const parts = value.split("@");
  return parts.length === 2 && parts.every((part) => DOT_ATOM.test(part));
}

/**
 * The refusals of Go's `url.ParseRequestURI` that need no further parsing: empty, a control character, a colon
 * first, or no scheme and no absolute path before the query.
 */
function mayBeRequestUri(value: string): boolean {
  if (value === "" || /[\x00-\x1f\x7f]/.test(value)) return false;
  if (value === "*") return true;
  if (value.startsWith(":")) return false;
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value) || value.split("?")[0]!.startsWith("/");
}
