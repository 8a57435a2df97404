import { describe, expect, it } from "vitest";
import { printable } from "../../../runtime/core/printable.js";
import { warningPrinter } from "../../../runtime/transport/warnings.js";

describe("printable: server text made safe for a terminal", () => {
  it("escapes C0, DEL, C1, line separators and bidi controls, visibly and as JSON does", () => {
    expect(printable("a\u001b[2Jb\rc\u0007d\u007fe\u009bf\u202eg\u2066h\u2028i\nj")).toBe(
      "a\\u001b[2Jb\\u000dc\\u0007d\\u007fe\\u009bf\\u202eg\\u2066h\\u2028i\\u000aj",
    );
    expect(JSON.parse(`"${printable("\u0085\u200f")}"`)).toBe("\u0085\u200f");
  });

  it("keeps newlines when asked, and leaves printable text (accents, CJK, emoji) alone", () => {
    expect(printable("line one\nline\ttwo", { keepNewlines: true })).toBe("line one\nline\\u0009two");
    expect(printable("ñandú 名前 😀 → «»")).toBe("ñandú 名前 😀 → «»");
  });

  it("is what the runtime's Warning printer writes: a bidi override in a warning cannot reorder the line", () => {
    const lines: string[] = [];
    warningPrinter((line) => lines.push(line))({ code: 299, agent: "-", text: "use \u202ev2\u202c instead" }, { method: "GET", path: "/" });
    expect(lines).toEqual(["Warning: use \\u202ev2\\u202c instead\n"]);
  });
});
