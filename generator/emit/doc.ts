/**
 * A small layout engine with prettier's semantics (Wadler-style groups that print flat when they fit in the
 * line, else broken), so emitted modules come out already formatted: generation does not parse and reprint
 * every file. Only the parts generated code needs: text, groups, indent, soft and hard line breaks, ifBreak.
 */

export type Doc = string | readonly Doc[] | Group | Indent | Line | IfBreak | Text;

interface Group {
  readonly kind: "group";
  readonly contents: Doc;
  /** Set when the contents hold a hard line: such a group can never print flat. */
  shouldBreak: boolean;
}

interface Indent {
  readonly kind: "indent";
  readonly contents: Doc;
}

interface Line {
  readonly kind: "line";
  /** Prints nothing (not a space) when flat. */
  readonly soft: boolean;
  /** Always breaks. */
  readonly hard: boolean;
}

interface IfBreak {
  readonly kind: "ifBreak";
  /** Printed when the enclosing group breaks... */
  readonly broken: Doc;
  /** ...and this when it prints flat. */
  readonly flat: Doc;
}

/** Text a hard line always follows (a comment line): printed as it is, its width never measured. */
interface Text {
  readonly kind: "text";
  readonly text: string;
}

export const line: Doc = { kind: "line", soft: false, hard: false };
export const softline: Doc = { kind: "line", soft: true, hard: false };
export const hardline: Doc = { kind: "line", soft: false, hard: true };

export const group = (contents: Doc): Doc => ({ kind: "group", contents, shouldBreak: false });
export const indent = (contents: Doc): Doc => ({ kind: "indent", contents });
export const ifBreak = (broken: Doc, flat: Doc = ""): Doc => ({ kind: "ifBreak", broken, flat });
/** `text` that a hard line follows (see `Text`). */
export const lineText = (text: string): Doc => ({ kind: "text", text });

export function join(separator: Doc, parts: readonly Doc[]): Doc[] {
  const joined: Doc[] = [];
  parts.forEach((part, index) => {
    if (index > 0) joined.push(separator);
    joined.push(part);
  });
  return joined;
}

const enum Mode {
  Break,
  Flat,
}

/**
 * The pending commands of a print: three parallel stacks instead of one tuple per command, because a module
 * of a large CRD has hundreds of thousands of doc nodes and a tuple each was most of the printer's garbage.
 */
class Commands {
  readonly indentations: string[] = [];
  readonly modes: Mode[] = [];
  readonly docs: Doc[] = [];

  push(indentation: string, mode: Mode, doc: Doc): void {
    this.indentations.push(indentation);
    this.modes.push(mode);
    this.docs.push(doc);
  }
}

/** Prints `doc` within `width` columns, two spaces per indent; trailing spaces are dropped at line ends. */
export function printDoc(doc: Doc, width: number): string {
  propagateBreaks(doc);
  const out: string[] = [];
  let position = 0;
  const commands = new Commands();
  commands.push("", Mode.Break, doc);
  const { indentations, modes, docs } = commands;
  while (docs.length > 0) {
    const indentation = indentations.pop()!;
    const mode = modes.pop()!;
    const current = docs.pop()!;
    if (typeof current === "string") {
      out.push(current);
      position += textWidth(current);
    } else if (isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) commands.push(indentation, mode, current[i]!);
    } else if (current.kind === "indent") {
      commands.push(`${indentation}  `, mode, current.contents);
    } else if (current.kind === "ifBreak") {
      commands.push(indentation, mode, mode === Mode.Break ? current.broken : current.flat);
    } else if (current.kind === "group") {
      const flat = mode === Mode.Flat || (!current.shouldBreak && fits(current.contents, commands, width - position));
      commands.push(indentation, flat ? Mode.Flat : Mode.Break, current.contents);
    } else if (current.kind === "text") {
      // Always followed by a hard line, so nothing after it on this line is laid out by its width.
      out.push(current.text);
    } else if (mode === Mode.Flat && !current.hard) {
      if (!current.soft) {
        out.push(" ");
        position++;
      }
    } else {
      trimTrailingSpaces(out);
      out.push(`\n${indentation}`);
      position = indentation.length;
    }
  }
  return out.join("");
}

/**
 * Whether `next` printed flat, followed by the rest up to its first possible line break, fits in `width`:
 * the rest counts in its own mode, so a broken group after `next` ends the measure at its first line.
 */
function fits(next: Doc, rest: Commands, width: number): boolean {
  const modes: Mode[] = [Mode.Flat];
  const docs: Doc[] = [next];
  let restIndex = rest.docs.length;
  while (width >= 0) {
    if (docs.length === 0) {
      if (restIndex === 0) return true;
      restIndex--;
      modes.push(rest.modes[restIndex]!);
      docs.push(rest.docs[restIndex]!);
      continue;
    }
    const mode = modes.pop()!;
    const doc = docs.pop()!;
    if (typeof doc === "string") width -= textWidth(doc);
    else if (isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) {
        modes.push(mode);
        docs.push(doc[i]!);
      }
    } else if (doc.kind === "indent") {
      modes.push(mode);
      docs.push(doc.contents);
    } else if (doc.kind === "ifBreak") {
      modes.push(mode);
      docs.push(mode === Mode.Break ? doc.broken : doc.flat);
    } else if (doc.kind === "group") {
      modes.push(doc.shouldBreak ? Mode.Break : mode);
      docs.push(doc.contents);
    } else if (doc.kind === "text") width -= textWidth(doc.text);
    else if (mode === Mode.Break || doc.hard) return true;
    else if (!doc.soft) width--;
  }
  return false;
}

/** Marks every group holding a hard line (at any depth) as broken; answers whether `doc` holds one. */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (isArray(doc)) {
    let found = false;
    for (const part of doc) if (propagateBreaks(part)) found = true;
    return found;
  }
  switch (doc.kind) {
    case "text":
      return false;
    case "line":
      return doc.hard;
    case "indent":
      return propagateBreaks(doc.contents);
    case "ifBreak":
      return propagateBreaks(doc.broken) || propagateBreaks(doc.flat);
    case "group": {
      const found = propagateBreaks(doc.contents);
      if (found) doc.shouldBreak = true;
      return found || doc.shouldBreak;
    }
  }
}

function isArray(doc: Doc): doc is readonly Doc[] {
  return Array.isArray(doc);
}

function trimTrailingSpaces(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1]!;
    let end = last.length;
    while (end > 0 && (last.charCodeAt(end - 1) === 32 || last.charCodeAt(end - 1) === 9)) end--;
    if (end === last.length && end > 0) return;
    if (end > 0) {
      out[out.length - 1] = last.slice(0, end);
      return;
    }
    out.pop();
  }
}

// Prettier measures text by display width: East Asian wide characters take two columns, combining marks none.
const COMBINING = /[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u200B-\u200F\u20D0-\u20FF\uFE00-\uFE0F\uFE20-\uFE2F]/;
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;

export function textWidth(text: string): number {
  if (isPrintableAscii(text)) return text.length;
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || COMBINING.test(char)) continue;
    width += WIDE.test(char) ? 2 : 1;
  }
  return width;
}

function isPrintableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7f) return false;
  }
  return true;
}
