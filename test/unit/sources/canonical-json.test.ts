import { describe, expect, it } from "vitest";
import { canonicalJson, isCanonicalJson } from "../../../generator/sources/canonical-json.js";

describe("isCanonicalJson", () => {
  const cases: Record<string, unknown> = {
    nested: { b: [{ y: 1, x: 2 }, "s"], a: { d: null, c: true } },
    // Integer-like keys enumerate first, numerically, whatever the insertion order: "10" after "2".
    integerKeys: { a: 1, "10": 2, "2": 3, "": 4 },
    // "$ref" sorts before "0" as text, but "0" enumerates first.
    integerAndSymbolKeys: { "$ref": "#/x", "0": "zero" },
    protoKey: JSON.parse('{"z": 1, "__proto__": {"b": 1, "a": 2}}'),
  };

  for (const [name, value] of Object.entries(cases)) {
    it(`${name}: accepts exactly canonicalJson's text, parsed back or not`, () => {
      for (const indent of [undefined, 2]) {
        const text = canonicalJson(value, indent);
        expect(isCanonicalJson(value, text, indent)).toBe(true);
        expect(isCanonicalJson(JSON.parse(text), text, indent)).toBe(true);
        // The same data with its keys in another order, or another indent, is not canonical.
        expect(isCanonicalJson(value, JSON.stringify(value, null, indent), indent)).toBe(JSON.stringify(value, null, indent) === text);
        expect(isCanonicalJson(value, canonicalJson(value, indent === 2 ? undefined : 2), indent)).toBe(false);
      }
    });
  }

  it("rejects a text whose keys are out of order even though it parses to equal data", () => {
    const text = '{"b":1,"a":2}';
    expect(isCanonicalJson(JSON.parse(text), text)).toBe(false);
    expect(isCanonicalJson(JSON.parse(text), '{"a":2,"b":1}')).toBe(true);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level, integer-like keys first and by number, and leaves out undefined entries", () => {
    const value = { b: 1, a: { d: [{ z: 1, y: 2 }], c: 2 }, "10": true, "2": null, skipped: undefined, sorted: { a: 1, b: { c: 1 } } };
    expect(canonicalJson(value)).toBe('{"2":null,"10":true,"a":{"c":2,"d":[{"y":2,"z":1}]},"b":1,"sorted":{"a":1,"b":{"c":1}}}');
  });

  it("keeps a __proto__ key as data wherever it sits, sorted or not", () => {
    const inOrder = JSON.parse('{"__proto__": {"a": 1}, "b": 2}') as unknown;
    const outOfOrder = JSON.parse('{"b": 2, "__proto__": {"y": 1, "x": 2}}') as unknown;
    expect(canonicalJson(inOrder)).toBe('{"__proto__":{"a":1},"b":2}');
    expect(canonicalJson(outOfOrder)).toBe('{"__proto__":{"x":2,"y":1},"b":2}');
  });
});
