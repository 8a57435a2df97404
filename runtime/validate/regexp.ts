// The API server's `pattern` dialect (Go RE2) turned into JavaScript's, or a reason it cannot be: never a different match.

export type TranslatedPattern = { ok: true; regexp: RegExp } | { ok: false; reason: string };

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`\\{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};
/** RE2's `\s` is ASCII whitespace only; JavaScript's also matches Unicode spaces. */
const RE2_SPACE = "\\t\\n\\f\\r ";
/** Escapes JavaScript's `u` mode accepts as they are. */
const SAME_ESCAPES = new Set([..."dDwWbBntrfv^$\\.*+?()[]{}|/"]);
const GENERAL_CATEGORY = /^(?:[LMNPSZC][a-z]?|Any)$/;

class Untranslatable extends Error {}

/** RE2 `pattern` → a JavaScript RegExp matching the same strings (searched, not anchored, as Go's `MatchString`). */
export function translatePattern(pattern: string): TranslatedPattern {
  try {
    const { source, flags } = translate(pattern);
    return { ok: true, regexp: new RegExp(source, `${flags}u`) };
  } catch (error) {
    const reason = error instanceof Untranslatable ? error.message : `JavaScript cannot compile it (${(error as Error).message})`;
    return { ok: false, reason };
  }
}

function translate(pattern: string): { source: string; flags: string } {
  let rest = pattern;
  let flags = "";
  const leading = /^\(\?([imsU]+)\)/.exec(rest);
  if (leading) {
    if (leading[1]!.includes("U")) throw new Untranslatable("the ungreedy flag (?U) has no JavaScript equivalent");
    flags = [...new Set(leading[1])].join("");
    rest = rest.slice(leading[0].length);
  }
  let out = "";
  let i = 0;
  while (i < rest.length) {
    const step = outsideClass(rest, i);
    out += step.text;
    i = step.next;
  }
  return { source: out, flags };
}

interface Step {
  text: string;
  next: number;
}

function outsideClass(p: string, i: number): Step {
  const c = p[i]!;
  if (c === "\\") return escape(p, i, false);
  if (c === "[") return charClass(p, i);
  if (c === "(") return group(p, i);
  if (c === "]" || c === "}") return { text: `\\${c}`, next: i + 1 };
  if (c === "{") return /^\{\d+(,\d*)?\}/.test(p.slice(i)) ? { text: "{", next: i + 1 } : { text: "\\{", next: i + 1 };
  return { text: c, next: i + 1 };
}

function group(p: string, i: number): Step {
  if (p.startsWith("(?P<", i)) return { text: "(?<", next: i + 4 };
  if (p.startsWith("(?<", i) || p.startsWith("(?:", i)) return { text: p.slice(i, i + 3), next: i + 3 };
  if (p.startsWith("(?", i)) throw new Untranslatable(`the group ${JSON.stringify(p.slice(i, i + 6))} (inline flags) has no JavaScript equivalent`);
  return { text: "(", next: i + 1 };
}

function escape(p: string, i: number, inClass: boolean): Step {
  const c = p[i + 1];
  if (c === undefined) throw new Untranslatable("it ends with a lone backslash");
  if (c === "Q") return quoted(p, i);
  if (c === "A" && !inClass) return { text: "(?<![\\s\\S])", next: i + 2 };
  if (c === "z" && !inClass) return { text: "(?![\\s\\S])", next: i + 2 };
  if (c === "s") return { text: inClass ? RE2_SPACE : `[${RE2_SPACE}]`, next: i + 2 };
  if (c === "S" && !inClass) return { text: `[^${RE2_SPACE}]`, next: i + 2 };
  if (c === "a") return { text: "\\x07", next: i + 2 };
  if (c === "p" || c === "P") return unicodeClass(p, i);
  if (c === "x") return hexEscape(p, i);
  if (c === "-" && inClass) return { text: "\\-", next: i + 2 };
  if (SAME_ESCAPES.has(c) && !(inClass && (c === "b" || c === "B"))) return { text: `\\${c}`, next: i + 2 };
  if (/[!-/:-@[-`{-~]/.test(c)) return { text: hex(c.charCodeAt(0)), next: i + 2 };
  throw new Untranslatable(`the escape \\${c} has no JavaScript equivalent`);
}

function quoted(p: string, i: number): Step {
  const end = p.indexOf("\\E", i + 2);
  const literal = p.slice(i + 2, end === -1 ? undefined : end);
  const text = [...literal].map((ch) => (/[\w ]/.test(ch) || ch.codePointAt(0)! > 0x7f ? ch : hex(ch.codePointAt(0)!))).join("");
  return { text, next: end === -1 ? p.length : end + 2 };
}

function unicodeClass(p: string, i: number): Step {
  let negated = p[i + 1] === "P";
  let name: string;
  let next: number;
  if (p[i + 2] === "{") {
    const end = p.indexOf("}", i + 3);
    if (end === -1) throw new Untranslatable("an unterminated \\p{...}");
    name = p.slice(i + 3, end);
    next = end + 1;
  } else {
    name = p[i + 2] ?? "";
    next = i + 3;
  }
  if (name.startsWith("^")) {
    negated = !negated;
    name = name.slice(1);
  }
  const property = name === "Any" ? "Any" : GENERAL_CATEGORY.test(name) ? name : `Script=${name}`;
  return { text: `\\${negated ? "P" : "p"}{${property}}`, next };
}

function hexEscape(p: string, i: number): Step {
  if (p[i + 2] === "{") {
    const end = p.indexOf("}", i + 3);
    if (end === -1) throw new Untranslatable("an unterminated \\x{...}");
    return { text: `\\u{${p.slice(i + 3, end)}}`, next: end + 1 };
  }
  return { text: `\\x${p.slice(i + 2, i + 4)}`, next: i + 4 };
}

function hex(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
}

/** `[...]`: POSIX classes expanded, escapes made valid in `u` mode. */
function charClass(p: string, i: number): Step {
  let out = "[";
  let j = i + 1;
  if (p[j] === "^") {
    out += "^";
    j++;
  }
  if (p[j] === "]") {
    out += "\\]";
    j++;
  }
  while (j < p.length && p[j] !== "]") {
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(j));
    if (posix) {
      if (posix[1] === "^" || POSIX_CLASSES[posix[2]!] === undefined) throw new Untranslatable(`the class [:${posix[1]}${posix[2]}:] has no JavaScript equivalent`);
      out += POSIX_CLASSES[posix[2]!];
      j += posix[0].length;
      continue;
    }
    const step = p[j] === "\\" ? escape(p, j, true) : { text: p[j] === "[" ? "\\[" : p[j]!, next: j + 1 };
    out += step.text;
    j = step.next;
  }
  if (j >= p.length) throw new Untranslatable("an unterminated character class");
  return { text: `${out}]`, next: j + 1 };
}
