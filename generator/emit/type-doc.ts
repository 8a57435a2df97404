import type { SchemaType } from "../model/ir.js";
import { group, ifBreak, indent, join, line, softline, type Doc } from "./doc.js";
import { propertyKey, stringLiteral } from "./escape.js";
import type { ResolveRef } from "./type-text.js";

/**
 * TypeScript type syntax for a schema, laid out as prettier lays it out: unions flattened, array members of
 * unions without parentheses, long unions one member per line behind `|`, type literals broken per member.
 * The mapping from schemas to types is type-text.ts's; this only shapes it for printing.
 */
export type TypeNode =
  /** A keyword, a literal, or (`ref`) the name of a declared type. */
  | { node: "name"; text: string; ref?: boolean }
  | { node: "union"; members: TypeNode[] }
  | { node: "array"; element: TypeNode }
  | { node: "object"; members: ObjectMember[] };

export type ObjectMember = { key: string; optional: boolean; type: TypeNode } | { index: TypeNode };

const name = (text: string): TypeNode => ({ node: "name", text });

/** The type of `type`, as typeText writes it (`T | null` for nullable), as syntax. */
export function typeNode(type: SchemaType, resolve: ResolveRef): TypeNode {
  const bare = bareTypeNode(type, resolve);
  return type.nullable ? union([bare, name("null")]) : bare;
}

function bareTypeNode(type: SchemaType, resolve: ResolveRef): TypeNode {
  switch (type.kind) {
    case "ref":
      return { node: "name", text: resolve(type.target), ref: true };
    case "string":
      return type.enum && type.enum.length > 0 ? union(type.enum.map((value) => name(literalText(value)))) : name("string");
    case "number":
      return type.enum && type.enum.length > 0 ? union(type.enum.map((value) => name(numberText(value)))) : name("number");
    case "boolean":
      return name("boolean");
    case "intOrString":
      return union([name("number"), name("string")]);
    case "literal":
      return name(literalText(type.value));
    case "unknown":
      return name("unknown");
    case "array":
      return { node: "array", element: typeNode(type.items, resolve) };
    case "union":
      return union(type.variants.map((variant) => typeNode(variant, resolve)));
    case "object": {
      const members: ObjectMember[] = type.properties.map((property) => ({ key: keyText(property.name), optional: !property.required, type: typeNode(property.type, resolve) }));
      const index = indexSignatureNode(type, resolve);
      if (index !== undefined) members.push({ index });
      return { node: "object", members };
    }
  }
}

/** The value type of an object's index signature (see type-text.ts `indexSignatureType`). */
export function indexSignatureNode(type: Extract<SchemaType, { kind: "object" }>, resolve: ResolveRef): TypeNode | undefined {
  if (!type.additionalProperties) return undefined;
  if (type.properties.length > 0 && type.additionalProperties.kind !== "unknown") return name("unknown");
  return typeNode(type.additionalProperties, resolve);
}

/** `A | (B | C)` parses as one union `A | B | C`; a one-member union is its member. */
function union(members: TypeNode[]): TypeNode {
  const flat = members.flatMap((member) => (member.node === "union" ? member.members : [member]));
  return flat.length === 1 ? flat[0]! : { node: "union", members: flat };
}

/** How the type reads in a property, alias or type argument position. */
export function typeDoc(type: TypeNode): Doc {
  switch (type.node) {
    case "name":
      return type.text;
    case "array":
      return [type.element.node === "union" ? ["(", unionDoc(type.element, true), ")"] : typeDoc(type.element), "[]"];
    case "union":
      return unionDoc(type, false);
    case "object":
      return objectDoc(type.members);
  }
}

/** `{ a: T; [key: string]: U }`, one member per line when it does not fit. */
export function objectDoc(members: readonly ObjectMember[]): Doc {
  if (members.length === 0) return "{}";
  const printed = members.map((member): Doc => ("index" in member ? ["[key: string]: ", typeDoc(member.index)] : [member.key, member.optional ? "?" : "", ": ", typeDoc(member.type)]));
  return group(["{", indent([line, join([";", line], printed)]), ifBreak(";"), line, "}"]);
}

/**
 * A union on one line; else on the next line, indented; else one member per line behind `| `. A named or
 * literal object type with only `null` beside it stays inline (`{ ... } | null`). In an array's parentheses
 * the closing one goes on its own line.
 */
function unionDoc(type: Extract<TypeNode, { node: "union" }>, parenthesized: boolean): Doc {
  const anchor = type.members.find((member) => member.node === "object" || (member.node === "name" && member.ref === true));
  if (anchor && type.members.every((member) => member === anchor || isNull(member))) return join(" | ", type.members.map(typeDoc));
  const members = group(type.members.map((member, index) => [index === 0 ? ifBreak("| ") : [line, "| "], indent(typeDoc(member))]));
  return parenthesized ? group([indent([softline, members]), softline]) : group(indent([softline, members]));
}

const isNull = (type: TypeNode) => type.node === "name" && type.text === "null";

/** A property key: bare when plainly safe (escape.ts `propertyKey`), else quoted as prettier quotes strings. */
export function keyText(name: string): string {
  const key = propertyKey(name);
  return key.startsWith('"') ? literalText(name) : key;
}

/**
 * A string literal as prettier prints it: double quotes unless the text holds more double quotes than
 * single ones, only the enclosing quote escaped. Starts from stringLiteral's escaping of everything else.
 */
export function literalText(value: string): string {
  const raw = stringLiteral(value).slice(1, -1);
  const doubles = (raw.match(/"/g) ?? []).length;
  const singles = (raw.match(/'/g) ?? []).length;
  const quote = doubles > singles ? "'" : '"';
  const other = quote === '"' ? "'" : '"';
  const body = raw.replace(/\\(.)|(["'])/gs, (match, escaped: string | undefined, bare: string | undefined) => {
    if (escaped === other) return escaped;
    if (bare !== undefined) return bare === quote ? `\\${bare}` : bare;
    return match;
  });
  return `${quote}${body}${quote}`;
}

/** A number literal as prettier normalizes it (lowercase exponent without `+`). */
function numberText(value: number): string {
  return String(value).toLowerCase().replace(/e\+/, "e");
}
