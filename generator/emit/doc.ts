// Emitted modules are laid out by prettier's own doc printer (prettier/doc): the emitter builds the layout
// prettier would build for these statements, so generation never parses and reprints what it just wrote.
import { builders, printer } from "prettier/doc";

export type Doc = builders.Doc;

export const { group, indent, ifBreak, join, line, softline, hardline } = builders;

/** Prints `doc` within `width` columns, two spaces per indent, as prettier prints TypeScript. */
export function printDoc(doc: Doc, width: number): string {
  return printer.printDocToString(doc, { printWidth: width, tabWidth: 2, useTabs: false }).formatted;
}
