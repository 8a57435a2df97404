import { describe, expect, it } from "vitest";
import { formatFieldError, translatePattern, invalidStatus } from "../../../runtime/validate/index.js";
import { validateWithModule } from "../../../runtime/validate/index.js";
import type { SchemaNode, ValidationModule } from "../../../runtime/api/validation-schema.js";
import { goFloat } from "../../../runtime/validate/messages.js";

const widget: SchemaNode = {
  type: "object",
  required: ["spec"],
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["size"],
      properties: {
        size: { type: "integer", minimum: 0, maximum: 10 },
        ratio: { type: "number", exclusiveMinimum: true, minimum: 0, multipleOf: 0.5 },
        name: { type: "string", minLength: 2, maxLength: 5, pattern: "^[a-z]+$" },
        mode: { type: "string", enum: ["fast", "slow"] },
        when: { type: "string", format: "date-time" },
        data: { type: "string", format: "byte" },
        port: { "x-kubernetes-int-or-string": true },
        tags: { type: "array", minItems: 1, maxItems: 2, items: { type: "string" }, "x-kubernetes-list-type": "set" },
        ports: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { type: "object", required: ["name"], properties: { name: { type: "string" }, port: { type: "integer" } } },
        },
        labels: { type: "object", minProperties: 1, maxProperties: 2, additionalProperties: { type: "string", maxLength: 3 } },
        defaulted: { type: "object", required: ["x"], properties: { x: { type: "string" } }, default: { x: "a" } },
        nullable: { type: "string", nullable: true },
        template: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
        ref: { $ref: "example.com/v1#Other" },
      },
    },
    status: { type: "object", properties: { phase: { type: "integer" } } },
  },
};
const module: ValidationModule = {
  module: "example.com/v1",
  schemas: { Widget: widget, Other: { type: "object", properties: { level: { type: "integer", maximum: 1000000 } } } },
  imports: {},
};
const ok = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: 1 } };
const errorsOf = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}, options = {}) =>
  validateWithModule(module, "Widget", { ...ok, ...extra, spec: { size: 1, ...spec } }, true, options).map(formatFieldError);

describe("schema validation in the API server's words", () => {
  it("passes a valid object", () => {
    expect(errorsOf({})).toEqual([]);
  });
  it("checks type, int-or-string and nullable", () => {
    expect(errorsOf({ size: "3" })).toEqual(['spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"']);
    expect(errorsOf({ size: 1.5 })).toEqual([
      '<nil>: Invalid value: "": Checked value must be of type integer (default format) in spec.size',
      'spec.size: Invalid value: "number": spec.size in body must be of type integer: "number"',
    ]);
    expect(errorsOf({ port: true })).toEqual(['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"']);
    expect(errorsOf({ port: 80 })).toEqual([]);
    expect(errorsOf({ nullable: null })).toEqual([]);
    // kube-openapi takes a list for a `format: byte` string: the server stores it (checked on a live v1.37).
    expect(errorsOf({ data: ["a"] })).toEqual([]);
  });
  it("checks minimum, maximum, exclusive bounds and multipleOf", () => {
    expect(errorsOf({ size: -1 })).toEqual(["spec.size: Invalid value: -1: spec.size in body should be greater than or equal to 0"]);
    expect(errorsOf({ size: 11 })).toEqual(["spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10"]);
    expect(errorsOf({ ratio: 0 })).toEqual([
      // kube-openapi checks a whole number against the factor cut to an integer: 0.5 becomes 0 (the value shown is that factor).
      "spec.ratio: Invalid value: 0: factor MultipleOf declared for spec.ratio must be positive: 0",
      "spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0",
    ]);
    expect(errorsOf({ ratio: 2 })).toEqual(["spec.ratio: Invalid value: 0: factor MultipleOf declared for spec.ratio must be positive: 0"]);
    expect(errorsOf({ ratio: 0.7 })).toEqual(["spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5"]);
    expect(errorsOf({ ref: { level: 1000001 } })).toEqual(["spec.ref.level: Invalid value: 1000001: spec.ref.level in body should be less than or equal to 1000000"]);
  });
  it("checks string length (in characters), pattern, enum and formats", () => {
    expect(errorsOf({ name: "a" })).toEqual(['spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long']);
    expect(errorsOf({ name: "abcdef" })).toEqual(["spec.name: Too long: may not be more than 5 bytes"]);
    expect(errorsOf({ name: "A" })).toEqual(['spec.name: Invalid value: "A": spec.name in body should be at least 2 chars long']);
    expect(errorsOf({ name: "ééé" })).toEqual(['spec.name: Invalid value: "ééé": spec.name in body should match \'^[a-z]+$\'']);
    expect(errorsOf({ mode: "medium" })).toEqual(['spec.mode: Unsupported value: "medium": supported values: "fast", "slow"']);
    expect(errorsOf({ when: "yesterday" })).toEqual(['spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"']);
    expect(errorsOf({ when: "2024-01-02T03:04:05Z", data: "aGk=" })).toEqual([]);
    expect(errorsOf({ data: "aGk" })).toEqual(['spec.data: Invalid value: "aGk": spec.data in body must be of type byte: "aGk"']);
  });
  it("says 1 byte and 1 item as the server does (checked on a live v1.37.2)", () => {
    const one: ValidationModule = {
      module: "example.com/v1",
      schemas: { O: { type: "object", properties: { s: { type: "string", maxLength: 1 }, l: { type: "array", maxItems: 1 }, m: { type: "object", maxProperties: 1 } } } },
      imports: {},
    };
    expect(validateWithModule(one, "O", { metadata: { name: "o" }, s: "ab", l: [1, 2], m: { a: 1, b: 2 } }, false).map(formatFieldError)).toEqual([
      "s: Too long: may not be more than 1 byte",
      "l: Too many: 2: must have at most 1 item",
      "m: Too many: 2: must have at most 1 item",
    ]);
  });
  it("checks item and property counts, sets and list-maps", () => {
    expect(errorsOf({ tags: [] })).toEqual(["spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items"]);
    expect(errorsOf({ tags: ["a", "b", "c"] })).toEqual(["spec.tags: Too many: 3: must have at most 2 items"]);
    expect(errorsOf({ tags: ["a", "a"] })).toEqual(['spec.tags[1]: Duplicate value: "a"']);
    expect(errorsOf({ ports: [{ name: "a" }, { name: "a", port: 1 }] })).toEqual(['spec.ports[1]: Duplicate value: {"name":"a"}']);
    expect(errorsOf({ labels: {} })).toEqual(["spec.labels: Invalid value: 0: spec.labels in body should have at least 1 properties"]);
    expect(errorsOf({ labels: { a: "1", b: "2", c: "3" } })).toEqual(["spec.labels: Too many: 3: must have at most 2 items"]);
    expect(errorsOf({ labels: { a: "long" } })).toEqual(["spec.labels.a: Too long: may not be more than 3 bytes"]);
  });
  it("checks required fields after defaulting and pruning nulls, and embedded resources", () => {
    expect(errorsOf({ size: null })).toEqual(["spec.size: Required value"]);
    // A null map value is pruned as the server prunes it (`labels: { a: null }` is stored as `labels: {}`), not refused.
    expect(errorsOf({ labels: { a: null, b: "x" } })).toEqual([]);
    expect(errorsOf({ defaulted: {} })).toEqual(["spec.defaulted.x: Required value"]);
    // A default is the server's to fill in: a built-in's `default: {}` on a Time (sent as null) is no string to check.
    expect(validateWithModule(module, "Other", { metadata: { name: "o" } }, false, {})).toEqual([]);
    expect(errorsOf({ template: { metadata: {} } })).toEqual(["spec.template.apiVersion: Required value", "spec.template.kind: Required value"]);
    expect(validateWithModule(module, "Widget", { metadata: {} }, true).map(formatFieldError)).toEqual([
      "spec: Required value",
      "metadata.name: Required value: name or generateName is required",
    ]);
  });
  it("ignores status when the resource has a status subresource, and leaves whole-object checks to the server for apply", () => {
    expect(errorsOf({}, { status: { phase: "x" } })).toEqual([]);
    expect(validateWithModule(module, "Widget", { ...ok, status: { phase: "x" } }, false).length).toBe(1);
    expect(validateWithModule(module, "Widget", { spec: { tags: [] } }, true, { partial: true })).toEqual([]);
  });
  it("says, as the server does, that CEL rules were not checked when a blocking error came first", () => {
    const ruled: ValidationModule = { module: "m", schemas: { R: { type: "object", properties: { n: { type: "integer", "x-kubernetes-validations": [{ rule: "self > 1" }] } } } }, imports: {} };
    const check = (n: unknown) => validateWithModule(ruled, "R", { metadata: { name: "r" }, n }, false).map(formatFieldError);
    expect(check("x")).toEqual([
      'n: Invalid value: "string": n in body must be of type integer: "string"',
      "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
    ]);
    expect(check(2)).toEqual([]);
    // A transition rule runs on create only when `optionalOldSelf` makes oldSelf an empty optional, as on the server.
    const tierRule = (optionalOldSelf: boolean) => ({ rule: "oldSelf.hasValue() || self != 'platinum'", message: "may not start as platinum", optionalOldSelf });
    const tiered = (optionalOldSelf: boolean): ValidationModule => ({ module: "t", schemas: { T: { type: "object", properties: { tier: { type: "string", "x-kubernetes-validations": [tierRule(optionalOldSelf)] } } } }, imports: {} });
    const create = (optionalOldSelf: boolean) => validateWithModule(tiered(optionalOldSelf), "T", { metadata: { name: "t" }, tier: "platinum" }, false).map(formatFieldError);
    expect(create(true)).toEqual(['tier: Invalid value: "platinum": may not start as platinum']);
    expect(create(false)).toEqual([]);
    // A CEL violation on a scalar shows its value, as the server's does; on an object or list it shows none.
    expect(check(1)).toEqual(["n: Invalid value: 1: failed rule: self > 1"]);
  });

  it("adds up to the server's 422 Status", () => {
    const errors = validateWithModule(module, "Widget", { ...ok, spec: { size: -1, mode: "x" } }, true);
    const status = invalidStatus({ group: "example.com", kind: "Widget", name: "w" }, errors);
    expect(status.message).toBe(
      'Widget.example.com "w" is invalid: [spec.size: Invalid value: -1: spec.size in body should be greater than or equal to 0, spec.mode: Unsupported value: "x": supported values: "fast", "slow"]',
    );
    expect(status.details?.causes?.[0]).toEqual({ reason: "FieldValueInvalid", field: "spec.size", message: "Invalid value: -1: spec.size in body should be greater than or equal to 0" });
  });
});

describe("Go RE2 patterns in JavaScript", () => {
  const matches = (pattern: string, text: string) => {
    const translated = translatePattern(pattern);
    if (!translated.ok) throw new Error(translated.reason);
    return translated.regexp.test(text);
  };
  it("translates what differs and refuses what cannot be translated", () => {
    expect(matches("^[[:alpha:]]+\\z", "abc")).toBe(true);
    expect(matches("\\Aab\\z", "ab\n")).toBe(false);
    expect(matches("^\\s$", "\u00a0")).toBe(false);
    expect(matches("(?i)^abc$", "ABC")).toBe(true);
    expect(matches("^(?P<x>a)\\_$", "a_")).toBe(true);
    expect(matches("^\\pL+$", "é")).toBe(true);
    expect(matches("^\\Q.*\\E$", ".*")).toBe(true);
    expect(translatePattern("(?U)a+").ok).toBe(false);
    expect(translatePattern("a\\C").ok).toBe(false);
  });
  it("prints bounds as the server prints them", () => {
    expect([0, 1.5, 100000, 1e6, 123456789, 1.5e-5, 0.0001, -3].map(goFloat)).toEqual(["0", "1.5", "100000", "1000000", "123456789", "1.5e-05", "0.0001", "-3"]);
  });
});
