import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import type { Definition } from "../../../generator/model/definitions.js";
import { collectValidation } from "../../../generator/model/validation.js";
import { estimateCelCost, RULE_COST_LIMIT } from "../../../runtime/validate/cel/cost.js";
import { celCrd } from "../../../scripts/differential/cel-crds.js";
import { formatCrd } from "../../../scripts/differential/format-crds.js";

const shortStrings = { type: "array", maxItems: 10, items: { type: "string", maxLength: 10 } };
const unboundedStrings = { type: "array", items: { type: "string" } };

describe("the server's static CEL cost estimate", () => {
  it("counts a comprehension's iterations by maxItems and a regex match by the string's maxLength (4 bytes a character) and the pattern's length", () => {
    // self 1 + result 1 + 10 × (loop condition 2 + accumulator 1 + x 1 + ⌈0.1 × (40 + 1)⌉ × ⌈0.25 × 8⌉)
    expect(estimateCelCost("self.all(x, x.matches('^[a-z]+$'))", shortStrings)).toBe(2 + 10 * (2 + 1 + 1 + 5 * 2));
  });

  it("bounds unbounded lists and strings by the 3 MiB request, so the same rule is over the limit without maxItems/maxLength", () => {
    expect(estimateCelCost("self.all(x, x.matches('^[a-z]+$'))", unboundedStrings)).toBeGreaterThan(RULE_COST_LIMIT);
    expect(estimateCelCost("self.all(x, x.matches('^[a-z]+$'))", { ...unboundedStrings, items: { type: "string", maxLength: 10 } })).toBeGreaterThan(RULE_COST_LIMIT);
    expect(estimateCelCost("self.all(x, x.matches('^[a-z]+$'))", { ...unboundedStrings, maxItems: 10 })).toBeLessThan(RULE_COST_LIMIT);
  });

  it("multiplies nested comprehensions", () => {
    const grid = (maxItems?: number) => ({ type: "array", ...(maxItems ? { maxItems } : {}), items: { type: "array", ...(maxItems ? { maxItems } : {}), items: { type: "integer" } } });
    const rule = "self.all(row, row.all(cell, cell >= 0))";
    expect(estimateCelCost(rule, grid(10))).toBeLessThan(estimateCelCost(rule, grid(100)));
    expect(estimateCelCost(rule, grid(100))).toBeLessThan(RULE_COST_LIMIT);
    expect(estimateCelCost(rule, grid())).toBeGreaterThan(RULE_COST_LIMIT);
  });

  it("types metadata.name at a resource's root as the server does (a plain string unless the schema types it)", () => {
    const root = { type: "object", properties: { metadata: { type: "object" } } };
    expect(estimateCelCost("self.metadata.name.matches('^[a-z]+$')", root, true)).toBe(3 + Math.ceil(0.1 * (3 * 1024 * 1024 - 1)) * 2);
    // not a root: an undeclared field has no size here (the estimate errs low)
    expect(estimateCelCost("self.metadata.name.matches('^[a-z]+$')", root, false)).toBe(3 + 1 * 2);
  });

  it("takes a URL's parts as strings of no known length, so concatenating them is unbounded", () => {
    const url = { type: "string", maxLength: 100 };
    expect(estimateCelCost("'scheme ' + url(self).getScheme()", url)).toBe(Number.POSITIVE_INFINITY);
    expect(estimateCelCost("url(self).getScheme() == 'https'", url)).toBeLessThan(100);
  });

  it("takes string() as unsized (v1.37.2 refuses `'n ' + string(self)`) and split() as sized by its string", () => {
    expect(estimateCelCost("'n ' + string(self) + ' is too large'", { type: "integer" })).toBe(Number.POSITIVE_INFINITY);
    // self 1 + ⌈0.1 × 256⌉ + result 1 + 256 pieces × (loop condition 2 + accumulator 1 + p 1 + size 1 + <= 1)
    expect(estimateCelCost("self.split('/').all(p, size(p) <= 8)", { type: "string", maxLength: 64 })).toBe(1 + 26 + 1 + 256 * 6);
    expect(estimateCelCost("self.split('/').all(p, size(p) <= 8)", { type: "string" })).toBeGreaterThan(RULE_COST_LIMIT);
  });

  it("counts string concatenation, contains and startsWith by the strings' sizes", () => {
    const text = { type: "object", properties: { a: { type: "string", maxLength: 1000 }, b: { type: "string" } } };
    expect(estimateCelCost("self.a + self.a == 'x'", text)).toBe(2 + 2 + Math.ceil(0.1 * 8000) + 1);
    expect(estimateCelCost("self.b.contains(self.b)", text)).toBeGreaterThan(RULE_COST_LIMIT);
    expect(estimateCelCost("self.a.startsWith('abc')", text)).toBe(2 + 1);
  });
});

const definition = (key: string, schema: unknown): Definition => ({ key, schema: schema as Definition["schema"], document: "test", pointer: `#/${key}`, groupVersionKinds: [] });
const refOf = () => ({ module: "example.io/v1", name: "Widget" });

describe("rules over the server's cost limit at generation", () => {
  it("are left to the server, named once with the estimate and the limit; rules under it are kept", () => {
    const over = "self.all(x, x.matches('^[a-z]+$'))";
    const schema = { type: "object", properties: { names: { ...unboundedStrings, "x-kubernetes-validations": [{ rule: over }, { rule: "size(self) > 0" }] } } };
    const model = collectValidation(new Map([["io.example.v1.Widget", definition("io.example.v1.Widget", schema)]]), refOf);
    expect(model.leftToServer).toHaveLength(1);
    // 2 + (3 MiB − 2) / 3 strings × (4 + ⌈0.1 × (3 MiB − 2 + 1)⌉ × 2)
    expect(model.leftToServer[0]).toBe(`io.example.v1.Widget.names: rule "${over}": estimated cost 659710961252 exceeds the server's limit 10000000`);
    expect(model.modules.get("example.io/v1")!["Widget"]!.properties!["names"]!["x-kubernetes-validations"]).toEqual([{ rule: "size(self) > 0" }]);
  });

  it("weighs a rule under a list by how many times its node can occur (maxItems, else what 3 MiB holds)", () => {
    // self.a 2 + ⌈0.1 × (64 × 4 + 1)⌉ × ⌈0.25 × 8⌉, under a list of at most 100 or of as many `{}` as 3 MiB holds
    const item = (rule: string) => ({ type: "object", properties: { a: { type: "string", maxLength: 64 } }, "x-kubernetes-validations": [{ rule }] });
    const rule = "self.a.matches('^[a-z]+$')";
    const bounded = { type: "object", properties: { list: { type: "array", maxItems: 100, items: item(rule) } } };
    const unbounded = { type: "object", properties: { list: { type: "array", items: item(rule) } } };
    expect(collectValidation(new Map([["io.example.v1.Widget", definition("io.example.v1.Widget", bounded)]]), refOf).leftToServer).toEqual([]);
    expect(collectValidation(new Map([["io.example.v1.Widget", definition("io.example.v1.Widget", unbounded)]]), refOf).leftToServer).toEqual([
      `io.example.v1.Widget.list[*]: rule "${rule}": estimated cost ${(2 + 26 * 2) * Math.floor((3 * 1024 * 1024) / 3)} exceeds the server's limit 10000000`,
    ]);
  });

  it("leaves every rule of a CRD to the server where their total is over the per-CRD limit", () => {
    const rule = "self.all(x, x.matches('^[a-z]+$'))";
    // about 4 million each, 30 of them
    const list = { type: "array", maxItems: 5000, items: { type: "string", maxLength: 1000 }, "x-kubernetes-validations": [{ rule }] };
    const properties = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`list${i}`, list]));
    const model = collectValidation(new Map([["io.example.v1.Widget", definition("io.example.v1.Widget", { type: "object", properties })]]), refOf);
    expect(model.leftToServer).toEqual([expect.stringMatching(/^io\.example\.v1\.Widget: the rules' estimated total cost \d+ exceeds the server's limit 100000000 for one CRD: all its rules are left to the server$/)]);
    expect(JSON.stringify(model.modules.get("example.io/v1"))).not.toContain("x-kubernetes-validations");
  });

  it("never calls a rule of a CRD the server serves over the limit (cert-manager, JobSet and the differential CRDs)", () => {
    const documents = ["cert-manager.crds.yaml", "jobset.yaml"].flatMap((file) => parseAllDocuments(readFileSync(new URL(`../../../../shared/k8s/crds/${file}`, import.meta.url), "utf8")).map((document) => document.toJS()));
    const crds = [...documents.filter((document) => document?.kind === "CustomResourceDefinition"), celCrd, formatCrd];
    let rules = 0;
    for (const crd of crds) {
      for (const version of crd.spec.versions) {
        const schema = version.schema.openAPIV3Schema;
        rules += (JSON.stringify(schema).match(/"rule":/g) ?? []).length;
        const model = collectValidation(new Map([["crd", definition(`${crd.metadata.name}/${version.name}`, schema)]]), refOf);
        expect(model.leftToServer.filter((line) => /exceeds the server's limit/.test(line))).toEqual([]);
      }
    }
    expect(rules).toBeGreaterThan(50);
  });
});
