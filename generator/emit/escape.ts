/**
 * Everything the API documents say ends up in TypeScript source: names become identifiers and property
 * keys, descriptions become doc comments, values become string literals. Nothing from a document may
 * end a comment, break a line where a parser does not expect it, or shadow what generated code relies on.
 */

/** Reserved in JavaScript (strict mode included) or TypeScript: unusable as a binding or type name. */
const RESERVED_WORDS = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum",
  "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null",
  "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with",
  "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield", "await",
  "arguments", "eval", "undefined", "NaN", "Infinity",
]);

/** Type names TypeScript forbids for declarations, or whose shadowing would confuse readers of generated code. */
const RESERVED_TYPE_NAMES = new Set([
  ...RESERVED_WORDS,
  "any", "unknown", "never", "object", "string", "number", "boolean", "symbol", "bigint", "type", "as", "is",
  "Object", "Date", "Array", "ReadonlyArray", "Function", "Symbol", "Promise", "Record", "Partial", "Required",
  "Readonly", "Pick", "Omit", "Exclude", "Extract", "String", "Number", "Boolean", "BigInt", "Error", "Map", "Set",
  "WeakMap", "WeakSet", "JSON", "Math", "RegExp", "Iterable", "Iterator", "NonNullable", "ReturnType",
]);

/** Names that are harmless as interface members yet special in object literals or prototypes. */
const SPECIAL_PROPERTY_NAMES = new Set(["__proto__", "constructor", "prototype"]);

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A double-quoted TypeScript string literal; line separators and control characters are escaped. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A property key for an interface or object literal: bare when plainly safe, quoted otherwise. */
export function propertyKey(name: string): string {
  if (PLAIN_IDENTIFIER.test(name) && !RESERVED_WORDS.has(name) && !SPECIAL_PROPERTY_NAMES.has(name)) return name;
  return stringLiteral(name);
}

const NEEDS_COMMENT_ESCAPES = /[\r\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]|\*\/|[ \t]\n|[ \t]$/;

/**
 * Text safe inside a `/** ... *\/` comment: `*\/` cannot close it, line separators, NUL and other control
 * characters appear as `\uXXXX`, CRLF becomes LF. Backticks and `${` are inert in comments and stay readable.
 */
export function docCommentText(text: string): string {
  // Most descriptions need none of the replacements below: skip their four passes (and copies).
  if (!NEEDS_COMMENT_ESCAPES.test(text)) return text.trim();
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\*\//g, "*\\/")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/[ \t]+$/gm, "")
    .trim();
}

/** Joins the identifier-safe parts of `name` in camelCase; a leading digit gets `_`, a reserved name a `_` suffix. */
function identifierFrom(name: string, reserved: ReadonlySet<string>): string {
  let identifier = name
    .split(/[^A-Za-z0-9_$]+/)
    .filter((part) => part !== "")
    .map((part, index) => (index === 0 ? part : part[0]!.toUpperCase() + part.slice(1)))
    .join("")
    .replace(/\$/g, "_");
  if (identifier === "") identifier = "_";
  if (/^[0-9]/.test(identifier)) identifier = `_${identifier}`;
  if (reserved.has(identifier)) identifier = `${identifier}_`;
  return identifier;
}

/**
 * A type identifier from an API name: invalid characters dropped at word boundaries (`DeleteOptions_v2` stays,
 * `x-y` → `XY`), a leading digit prefixed with `_`, and names of TypeScript globals (`Object`, `Date`,
 * `Record`, ...) or reserved words suffixed with `_`.
 */
export function typeIdentifier(name: string): string {
  return identifierFrom(name, RESERVED_TYPE_NAMES);
}

/** A value identifier (a descriptor's `const` name): same rules, reserved words suffixed with `_`. */
export function valueIdentifier(name: string): string {
  return identifierFrom(name, RESERVED_WORDS);
}

/**
 * The descriptor name of a resource: its plural in camelCase, with word boundaries taken from the kind
 * (`customresourcedefinitions` + `CustomResourceDefinition` → `customResourceDefinitions`,
 * `apiservices` + `APIService` → `apiServices`, `podsecuritypolicies` → `podSecurityPolicies`).
 */
export function descriptorIdentifier(plural: string, kind: string): string {
  const lowerKind = kind.toLowerCase();
  let common = 0;
  while (common < plural.length && common < lowerKind.length && plural[common] === lowerKind[common]) common++;
  const cased = lowerFirstWord(kind.slice(0, common)) + plural.slice(common);
  return valueIdentifier(cased);
}

/** `APIService` → `apiService`, `CSIDriver` → `csiDriver`, `Job` → `job`. */
function lowerFirstWord(text: string): string {
  const leadingCapitals = /^[A-Z]+/.exec(text)?.[0] ?? "";
  if (leadingCapitals.length <= 1) return text.charAt(0).toLowerCase() + text.slice(1);
  // In `APIService` the last capital of the run starts the next word.
  const runEnd = leadingCapitals.length === text.length ? text.length : leadingCapitals.length - 1;
  return text.slice(0, runEnd).toLowerCase() + text.slice(runEnd);
}

/**
 * The namespace name `index.ts` re-exports a module under: `batch/v1` → `batchV1`,
 * `rbac.authorization.k8s.io/v1` → `rbacAuthorizationV1` (short) or `rbacAuthorizationK8sIoV1` (long).
 */
export function moduleNamespaceIdentifier(moduleKey: string, form: "short" | "long" = "short"): string {
  const slash = moduleKey.lastIndexOf("/");
  let group = moduleKey.slice(0, slash);
  const version = moduleKey.slice(slash + 1);
  if (form === "short") group = group.replace(/\.k8s\.io$/, "");
  const words = [...group.split(/[^A-Za-z0-9]+/), version].filter((word) => word !== "");
  const camel = words.map((word, index) => (index === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word[0]!.toUpperCase() + word.slice(1))).join("");
  return valueIdentifier(camel);
}
