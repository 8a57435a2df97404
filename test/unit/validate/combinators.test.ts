// anyOf, oneOf and not as the live v1.37.2 answered each object (dryRun=All, recorded case by case; test/e2e/validate-formats.test.ts replays them).
import { describe, expect, it } from "vitest";
import { formatFieldError, validateWithModule } from "../../../runtime/validate/index.js";
import type { SchemaNode, ValidationModule } from "../../../runtime/api/validation-schema.js";

export const combinatorProperties: Record<string, SchemaNode> = {
  any: { type: "string", anyOf: [{ maxLength: 2 }, { pattern: "^x" }] },
  one: { type: "string", oneOf: [{ maxLength: 2 }, { pattern: "^x" }] },
  not: { type: "string", not: { pattern: "^x" } },
  obj: { type: "object", properties: { a: { type: "string" }, b: { type: "integer" } }, anyOf: [{ required: ["a"] }, { required: ["b"], properties: { b: { maximum: 3 } } }] },
  obj2: {
    type: "object",
    properties: { a: { type: "string" }, b: { type: "integer" } },
    oneOf: [{ properties: { a: { maxLength: 1 } } }, { properties: { a: { maxLength: 1, pattern: "^x" }, b: { minimum: 1 } } }],
  },
  obj3: { type: "object", properties: { a: { type: "string" } }, not: { required: ["a"] } },
  arr: { type: "array", items: { type: "string" }, anyOf: [{ maxItems: 1 }, { items: { pattern: "^x" } }] },
  fa: { type: "string", format: "ipv4", anyOf: [{ maxLength: 3 }, { pattern: "^1" }] },
};

const module = (properties: Record<string, SchemaNode>): ValidationModule => ({
  module: "example.com/v1",
  schemas: { T: { type: "object", properties: { spec: { type: "object", properties } } } },
  imports: {},
});
const errorsOf = (field: string, value: unknown, properties = combinatorProperties, options = {}) =>
  validateWithModule(module(properties), "T", { metadata: { name: "t" }, spec: { [field]: value } }, false, options).map(formatFieldError);
const nil = (message: string) => `<nil>: Invalid value: "": ${message}`;

describe("anyOf, oneOf and not in the server's words", () => {
  it("anyOf: one passing branch is enough; else the branch that checked the most (the first of equals) says why", () => {
    expect(errorsOf("any", "ab")).toEqual([]);
    expect(errorsOf("any", "xyz")).toEqual([]);
    expect(errorsOf("any", "abc")).toEqual([nil('"spec.any" must validate at least one schema (anyOf)'), "spec.any: Too long: may not be more than 2 bytes"]);
    expect(errorsOf("obj", {})).toEqual([nil('"spec.obj" must validate at least one schema (anyOf)'), "spec.obj.a: Required value"]);
    expect(errorsOf("obj", { b: 5 })).toEqual([nil('"spec.obj" must validate at least one schema (anyOf)'), "spec.obj.b: Invalid value: 5: spec.obj.b in body should be less than or equal to 3"]);
    expect(errorsOf("obj", { a: "x" })).toEqual([]);
    expect(errorsOf("arr", ["x", "y"])).toEqual([nil('"spec.arr" must validate at least one schema (anyOf)'), "spec.arr[1]: Invalid value: \"y\": spec.arr[1] in body should match '^x'"]);
    expect(errorsOf("arr", ["a"])).toEqual([]);
    expect(errorsOf("fa", "abcd")).toEqual([
      nil('"spec.fa" must validate at least one schema (anyOf)'),
      "spec.fa: Too long: may not be more than 3 bytes",
      'spec.fa: Invalid value: "abcd": spec.fa in body must be of type ipv4: "abcd"',
    ]);
    expect(errorsOf("fa", "1.2.3.4")).toEqual([]);
  });
  it("oneOf: exactly one passing branch", () => {
    expect(errorsOf("one", "ab")).toEqual([]);
    expect(errorsOf("one", "xy")).toEqual([nil('"spec.one" must validate one and only one schema (oneOf). Found 2 valid alternatives')]);
    expect(errorsOf("one", "abc")).toEqual([nil('"spec.one" must validate one and only one schema (oneOf). Found none valid'), "spec.one: Too long: may not be more than 2 bytes"]);
    expect(errorsOf("obj2", { a: "x", b: 0 })).toEqual([]);
    expect(errorsOf("obj2", { a: "ab", b: 0 })).toEqual([
      nil('"spec.obj2" must validate one and only one schema (oneOf). Found none valid'),
      "spec.obj2.a: Too long: may not be more than 1 byte",
      "spec.obj2.b: Invalid value: 0: spec.obj2.b in body should be greater than or equal to 1",
    ]);
  });
  it("not: the branch must fail", () => {
    expect(errorsOf("not", "xa")).toEqual([nil('"spec.not" must not validate the schema (not)')]);
    expect(errorsOf("not", "ab")).toEqual([]);
    expect(errorsOf("obj3", { a: "x" })).toEqual([nil('"spec.obj3" must not validate the schema (not)')]);
    expect(errorsOf("obj3", {})).toEqual([]);
  });
  it("branches see the object pruned and defaulted, as the server validates it", () => {
    const properties: Record<string, SchemaNode> = {
      d: { type: "object", properties: { a: { type: "string", default: "x" }, n: { type: "string" } }, anyOf: [{ required: ["a"] }], not: { required: ["n"] } },
    };
    expect(errorsOf("d", {}, properties)).toEqual([]);
    expect(errorsOf("d", { n: null }, properties)).toEqual([]);
  });
  it("leaves to the server what a check it cannot make would decide: not, and a second passing oneOf branch", () => {
    const properties: Record<string, SchemaNode> = {
      mail: { type: "string", not: { format: "email" } },
      two: { type: "string", oneOf: [{ format: "email" }, { maxLength: 5 }] },
      odd: { type: "string", not: { pattern: "\\pL" } },
    };
    // "a@" is no address to Go, so the server takes it; the client cannot tell without mail.ParseAddress.
    expect(errorsOf("mail", "a@", properties)).toEqual([]);
    expect(errorsOf("mail", "plain", properties)).toEqual([]);
    expect(errorsOf("two", "a@", properties)).toEqual([]);
    expect(errorsOf("two", "abc", properties)).toEqual([]);
    expect(errorsOf("two", "too long", properties)[0]).toBe(nil('"spec.two" must validate one and only one schema (oneOf). Found none valid'));
    // A partial object (apply) may lack what makes a branch fail.
    expect(errorsOf("obj3", { a: "x" }, combinatorProperties, { partial: true })).toEqual([]);
  });
  it("built-in int-or-string and Quantity (oneOf of types) take either type", () => {
    const properties: Record<string, SchemaNode> = {
      port: { oneOf: [{ type: "integer" }, { type: "string" }], nullable: true },
      size: { oneOf: [{ type: "string" }, { type: "number" }], nullable: true },
    };
    expect(errorsOf("port", 80, properties)).toEqual([]);
    expect(errorsOf("port", "http", properties)).toEqual([]);
    expect(errorsOf("port", null, properties)).toEqual([]);
    expect(errorsOf("size", 1.5, properties)).toEqual([]);
    expect(errorsOf("port", 1.5, properties)[0]).toBe(nil('"spec.port" must validate one and only one schema (oneOf). Found none valid'));
  });
});
