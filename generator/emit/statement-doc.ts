import { group, hardline, indent, join, line, softline, ifBreak, type Doc } from "./doc.js";
import { keyText, literalText, objectDoc, typeDoc, type ObjectMember, type TypeNode } from "./type-doc.js";

/**
 * The statements a generated module is made of, as prettier prints them: doc comments, interfaces, type
 * aliases, imports and `defineResource` constants. Each knows whether it is a block (an interface), because
 * blocks are set apart by blank lines and other statements are not.
 */
export interface Statement {
  doc: Doc;
  block: boolean;
  /** Starts with a blank line even after a statement that is not a block (every descriptor after the first). */
  spaced?: boolean;
}

/** `/** text *\/`, or one ` * line` per line when the text has several. `text` is already comment-safe. */
export function docComment(text: string | undefined): Doc[] {
  if (text === undefined || text === "") return [];
  if (!text.includes("\n")) return [`/** ${text} */`, hardline];
  const lines = text.split("\n").map((part) => (part.trim() === "" ? " *" : ` * ${part}`));
  return [join(hardline, ["/**", ...lines, " */"]), hardline];
}

export interface InterfaceMember {
  doc?: string;
  member: ObjectMember;
}

export function interfaceStatement(name: string, doc: string | undefined, members: readonly InterfaceMember[]): Statement {
  const body: Doc =
    members.length === 0
      ? "{}"
      : ["{", indent([hardline, join(hardline, members.map(({ doc: memberDoc, member }) => [...docComment(memberDoc), memberDoc_(member), ";"]))]), hardline, "}"];
  return { block: true, doc: [...docComment(doc), "export interface ", name, " ", body] };
}

function memberDoc_(member: ObjectMember): Doc {
  return "index" in member ? ["[key: string]: ", typeDoc(member.index)] : [member.key, member.optional ? "?" : "", ": ", typeDoc(member.type)];
}

/** `export type Name = T;`; a long union starts on the next line, one member per line. */
export function aliasStatement(name: string, doc: string | undefined, type: TypeNode): Statement {
  // A union that breaks starts with a line break of its own; the space before it is then trimmed.
  return { block: false, doc: [...docComment(doc), "export type ", name, " = ", typeDoc(type), ";"] };
}

/** `import { a } from "x";` / `import type { A, B as C } from "x";`, one name per line when too long. */
export function importStatement(names: ReadonlyArray<{ name: string; alias?: string }>, from: string, typeOnly: boolean): Statement {
  const specifiers = names.map(({ name, alias }) => (alias === undefined || alias === name ? name : `${name} as ${alias}`));
  const list: Doc = specifiers.length === 1 ? `{ ${specifiers[0]} }` : group(["{", indent([line, join([",", line], specifiers)]), ifBreak(","), line, "}"]);
  return { block: false, doc: [typeOnly ? "import type " : "import ", list, " from ", literalText(from), ";"] };
}

/** An identifier or expression written as it is (the validation loader a descriptor points at). */
export class Expression {
  constructor(readonly text: string) {}
}

/** One value of a descriptor's object literal: text, a nested object, a list of strings, or an expression. */
export type LiteralValue = string | boolean | readonly string[] | Expression | { readonly [key: string]: LiteralValue };

/** `export const name = defineResource<T, { sub: S }>()({ ... });` */
export function descriptorStatement(options: { doc: string; name: string; typeArguments: TypeNode[]; fields: Record<string, LiteralValue>; spaced: boolean }): Statement {
  const [first, ...others] = options.typeArguments;
  const typeArguments: Doc =
    others.length === 0 ? ["<", typeDoc(first!), ">"] : group(["<", indent([softline, join([",", line], options.typeArguments.map(typeDoc))]), softline, ">"]);
  return {
    block: false,
    spaced: options.spaced,
    doc: [...docComment(options.doc), "export const ", options.name, " = defineResource", typeArguments, "()(", literalDoc(options.fields), ");"],
  };
}

function literalDoc(value: LiteralValue): Doc {
  if (typeof value === "string") return literalText(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof Expression) return value.text;
  if (Array.isArray(value)) {
    const items = (value as readonly string[]).map(literalText);
    return items.length === 0 ? "[]" : group(["[", indent([softline, join([",", line], items)]), ifBreak(","), softline, "]"]);
  }
  const entries = Object.entries(value as Record<string, LiteralValue>);
  if (entries.length === 0) return "{}";
  return group(["{", indent([line, join([",", line], entries.map(([key, entry]) => [keyText(key), ": ", literalDoc(entry)]))]), ifBreak(","), line, "}"]);
}

export { objectDoc };
