// The API server's `Warning` headers (deprecated APIs, unknown fields under fieldValidation=Warn), surfaced as kubectl does.
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { printable } from "../core/printable.js";
import type { ApiWarning, WarningContext, WarningHandler } from "./types.js";

export type { ApiWarning, WarningContext, WarningHandler };

/** Distinct warning texts a printer remembers; the least recently seen is forgotten first. */
const REMEMBERED_WARNINGS = 1_000;
/** Texts longer than this are remembered by their digest, so the memory stays small whatever the server sends. */
const LONGEST_REMEMBERED_TEXT = 128;

/**
 * A handler printing each distinct warning text once as `Warning: <text>` (kubectl's form), for warnings of
 * code 299 with a text, as client-go's default writer does. Without `write`, lines go to stderr. It remembers
 * the last `REMEMBERED_WARNINGS` texts (a long-running controller meets warnings that name objects, without end):
 * a text forgotten since is printed again.
 */
export function warningPrinter(write: (line: string) => void = (line) => void process.stderr.write(line)): WarningHandler {
  const printed = new Set<string>();
  return (warning) => {
    if (warning.code !== 299 || warning.text === "") return;
    // A NUL cannot occur in a parsed warning text, so a digest key never equals a short text.
    const key = warning.text.length <= LONGEST_REMEMBERED_TEXT ? warning.text : `\0${createHash("sha256").update(warning.text).digest("base64")}`;
    const seen = printed.delete(key);
    printed.add(key); // last in insertion order = most recently seen
    if (printed.size > REMEMBERED_WARNINGS) printed.delete(printed.values().next().value!);
    // The parser refuses control characters; bidi controls pass it, and the printer owes the terminal safety itself.
    if (!seen) write(`Warning: ${printable(warning.text)}\n`);
  };
}

/**
 * Header values as UTF-8: undici hands them over as Latin-1 (one character per byte), which turns a UTF-8
 * warning into mojibake, and its bytes 0x80–0x9F into C1 controls that the parser rejects. Bytes that are not
 * UTF-8 keep their Latin-1 reading.
 */
export function utf8HeaderValues(values: string | readonly string[]): string | string[] {
  if (typeof values !== "string") return values.map((value) => utf8HeaderValues(value) as string);
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(values)) return values;
  const bytes = Buffer.from(values, "latin1");
  return isUtf8(bytes) ? bytes.toString("utf8") : values;
}

/**
 * Parses `Warning` header values as client-go's `ParseWarningHeaders` does: several comma-separated warnings
 * per value, each `code agent "text" ["date"]`; a malformed one ends its value (reported in `errors`) and
 * the next value is parsed on.
 */
export function parseWarningHeaders(values: string | readonly string[]): { warnings: ApiWarning[]; errors: string[] } {
  const warnings: ApiWarning[] = [];
  const errors: string[] = [];
  for (const value of typeof values === "string" ? [values] : values) {
    let rest = value;
    while (rest.trim() !== "") {
      const parsed = parseOneWarning(rest);
      if (typeof parsed === "string") {
        errors.push(`invalid Warning header ${JSON.stringify(value)}: ${parsed}`);
        break;
      }
      warnings.push(parsed.warning);
      rest = parsed.rest;
    }
  }
  return { warnings, errors };
}

/** One warning from the start of `header`, and what follows its comma; or what is wrong with it. */
function parseOneWarning(header: string): { warning: ApiWarning; rest: string } | string {
  const trimmed = header.trim();
  const firstSpace = trimmed.indexOf(" ");
  const secondSpace = firstSpace < 0 ? -1 : trimmed.indexOf(" ", firstSpace + 1);
  if (secondSpace < 0) return "fewer than 3 segments";
  const code = trimmed.slice(0, firstSpace);
  const agent = trimmed.slice(firstSpace + 1, secondSpace);
  if (!/^[0-9]{3}$/.test(code)) return "code segment is not 3 digits";
  if (agent === "" || hasControlCharacter(agent)) return "empty or invalid agent";
  const text = readQuoted(trimmed.slice(secondSpace + 1));
  if (typeof text === "string") return text;
  if (hasControlCharacter(text.value)) return "invalid text";
  let rest = text.rest;
  if (rest.startsWith('"')) {
    // The optional warn-date: read and dropped, as client-go does.
    const date = readQuoted(rest);
    if (typeof date === "string") return "unterminated date segment";
    rest = date.rest;
  }
  if (rest !== "") {
    if (!rest.startsWith(",")) return "unexpected token after the text";
    rest = rest.slice(1).trim();
  }
  return { warning: { code: Number(code), agent, text: text.value }, rest };
}

/** A quoted-string with backslash escapes at the start of `input`; or what is wrong with it. */
function readQuoted(input: string): { value: string; rest: string } | string {
  if (!input.startsWith('"')) return "the text is not a quoted string";
  let value = "";
  for (let index = 1; index < input.length; index++) {
    const char = input[index]!;
    if (char === "\\" && index + 1 < input.length) {
      value += input[++index];
    } else if (char === '"') {
      return { value, rest: input.slice(index + 1).trim() };
    } else {
      value += char;
    }
  }
  return "missing closing quote";
}

function hasControlCharacter(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f]/.test(text);
}
