import { describe, expect, it } from "vitest";
import { group, hardline, ifBreak, indent, join, line, printDoc, softline, type Doc } from "../../../generator/emit/doc.js";

const list = (items: string[]): Doc => group(["[", indent([softline, join([",", line], items)]), ifBreak(","), softline, "]"]);

describe("printDoc", () => {
  it("prints a group flat when it fits the width, and broken, one part per line, when it does not", () => {
    expect(printDoc(list(["a", "b", "c"]), 20)).toBe("[a, b, c]");
    expect(printDoc(list(["alpha", "beta", "gamma"]), 12)).toBe("[\n  alpha,\n  beta,\n  gamma,\n]");
  });

  it("counts a line exactly filling the width as fitting", () => {
    expect(printDoc(list(["ab", "cd"]), "[ab, cd]".length)).toBe("[ab, cd]");
    expect(printDoc(list(["ab", "cd"]), "[ab, cd]".length - 1)).toBe("[\n  ab,\n  cd,\n]");
  });

  it("measures what follows a group up to the next possible line break, not beyond", () => {
    // The inner list fits alone, but not with the text after it on the same line.
    const doc = ["x = ", list(["one", "two"]), " + tail", hardline, "next line that is long"];
    expect(printDoc(doc, 20)).toBe("x = [\n  one,\n  two,\n] + tail\nnext line that is long");
    // Text after a hard line does not count against the group before it.
    expect(printDoc(["x = ", list(["one", "two"]), hardline, "a very long line after the break"], 20)).toBe("x = [one, two]\na very long line after the break");
  });

  it("breaks every group that holds a hard line, and the groups around it", () => {
    expect(printDoc(group(["{", indent([line, "a", hardline, "b"]), line, "}"]), 80)).toBe("{\n  a\n  b\n}");
  });

  it("drops the spaces a line break would leave at a line end", () => {
    expect(printDoc(group(["key: ", group(indent([softline, "value"]))]), 8)).toBe("key:\n  value");
    expect(printDoc(["a  ", hardline, "", hardline, "b"], 80)).toBe("a\n\nb");
  });

  it("measures text by display width, as prettier does: wide characters take two columns", () => {
    expect(printDoc(list(["日本", "語"]), "[日本, 語]".length + 3)).toBe("[日本, 語]");
    expect(printDoc(list(["日本", "語"]), "[日本, 語]".length + 2)).toBe("[\n  日本,\n  語,\n]");
  });
});
