/**
 * The hostile corpus: OpenAPI v3 documents written by us, each aimed at one way generated code could break,
 * run code, or the generator could crash or hang.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { documentFile, groupVersionDocument, kindSchema, ref, schemaKeyOf, type Json, type ResourceSpec } from "./documents.js";

/** The global an escaped description or name would set; importing generated code must leave it false. */
export const PWNED = "__kubetypedPwned";

export interface HostileCase {
  name: string;
  /** What is acceptable: correct code, a clean error, or either. */
  expect: "generates" | "fails" | "either";
  documents: () => Record<string, Json | string>;
  /** Extra checks on a generated output folder. */
  checkOutput?: (out: string) => Promise<void>;
  /** Descriptors the imported code must export, byte for byte. */
  descriptors?: { plural: string; kind: string; group: string }[];
  /** What the error must name, when it fails (default: the document). */
  errorNames?: RegExp;
  /** The failure is about the whole file (not JSON at all): no JSON pointer to give. */
  noPointer?: boolean;
}

const INJECTIONS = [
  `*/ globalThis.${PWNED} = true; /*`,
  `/* nested */ */ ;globalThis.${PWNED} = true;//`,
  `line\u2028globalThis.${PWNED} = true;\u2029after`,
  "`${globalThis." + PWNED + " = true}`",
  `</script><script>globalThis.${PWNED} = true</script>`,
  `NUL\u0000byte and \u001b[31mescape\r\nCRLF\rCR`,
  `"; globalThis.${PWNED} = true; "`,
  `'); globalThis.${PWNED} = true; ('`,
  "\\u002a/ globalThis." + PWNED + " = true",
];

const HOSTILE_PROPERTY_NAMES = [
  "__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "class", "default", "delete", "await",
  "yield", "enum", "import", "undefined", "NaN", "Infinity", "arguments", "eval", "a-b", "a.b", "a/b", "a b", "a~b",
  "0digit", "123", "-", ".", "/", " ", "", "ñandú", "名前", "emoji😀", "x\u2028y", "nul\u0000", `quote"`, "back\\slash",
  "$ref", "${x}", "`tick`", "*/", "</script>",
];

const group = "hostile.example.com";
const resource = (kind: string, plural: string, extra: Partial<ResourceSpec> = {}): ResourceSpec => ({ group, version: "v1", kind, plural, ...extra });

function single(spec: ResourceSpec, properties: Record<string, Json>, schemas: Record<string, Json> = {}, top: Record<string, Json> = {}) {
  return { [documentFile(spec.group, spec.version)]: groupVersionDocument([spec], { [schemaKeyOf(spec)]: kindSchema(spec, properties, top), ...schemas }) };
}

async function readGenerated(out: string, file: string): Promise<string> {
  return readFile(path.join(out, ...file.split("/")), "utf8");
}

/** A document whose `spec` nests `depth` levels, as raw JSON text: JSON.stringify itself would overflow the stack. */
function nestedDocument(spec: ResourceSpec, depth: number, open: string, close: string): Record<string, string> {
  const marker = "__NESTED__";
  const [file, document] = Object.entries(single(spec, { spec: marker }))[0]!;
  const nested = open.repeat(depth) + '{"type":"string"}' + close.repeat(depth);
  return { [file]: JSON.stringify(document).replace(JSON.stringify(marker), nested) };
}

export function hostileCases(): HostileCase[] {
  const widget = resource("Widget", "widgets");
  return [
    {
      name: "descriptions",
      expect: "generates",
      documents: () =>
        single(
          widget,
          Object.fromEntries(INJECTIONS.map((text, index) => [`field${index}`, { type: "string", description: text }])),
          {},
          { description: INJECTIONS.join("\n") },
        ),
      checkOutput: async (out) => {
        const text = await readGenerated(out, `${group}/v1.ts`);
        expect(text).toContain("globalThis.__kubetypedPwned"); // kept as readable text, inert in a comment
      },
    },
    {
      name: "property-names",
      expect: "generates",
      documents: () =>
        single(widget, {
          spec: {
            type: "object",
            required: HOSTILE_PROPERTY_NAMES.slice(0, 10),
            properties: Object.fromEntries(HOSTILE_PROPERTY_NAMES.map((name) => [name, { type: "object", description: name, properties: { [name]: { type: "string" } } }])),
          },
        }),
    },
    {
      name: "enum-values",
      expect: "generates",
      documents: () =>
        single(widget, {
          mode: { type: "string", enum: [...INJECTIONS, ...HOSTILE_PROPERTY_NAMES, null] },
          mixed: { type: "string", enum: ["a", 1, true, { x: 1 }] },
        }),
    },
    {
      name: "resource-strings",
      expect: "either",
      documents: () => {
        const evil = resource(`Evil"Kind${"`"}`, `evil";globalThis.${PWNED}=true;"`);
        return single(evil, {});
      },
      descriptors: [{ plural: `evil";globalThis.${PWNED}=true;"`, kind: `Evil"Kind${"`"}`, group }],
    },
    {
      name: "reserved-kinds",
      expect: "generates",
      documents: () => {
        const kinds = ["Object", "Promise", "Record", "default", "constructor", "__proto__", "Array", "Function", "String"];
        const specs = kinds.map((kind, index) => resource(kind, `plural${index}`));
        return {
          [documentFile(group, "v1")]: groupVersionDocument(
            specs,
            Object.fromEntries(specs.map((spec) => [schemaKeyOf(spec), kindSchema(spec, { spec: { type: "object", properties: { kind: { type: "string" } } } })])),
          ),
        };
      },
    },
    {
      name: "plural-proto",
      expect: "either",
      documents: () => single(resource("Proto", "__proto__"), {}),
    },
    {
      name: "names-colliding-after-sanitizing",
      expect: "generates",
      documents: () => {
        const specs = [resource("Foo-Bar", "foobars1"), resource("FooBar", "foobars2"), resource("foo_bar", "foobars3"), resource("Foobar", "foobars4"), resource("FOOBAR", "foobars5")];
        return {
          [documentFile(group, "v1")]: groupVersionDocument(specs, Object.fromEntries(specs.map((spec) => [schemaKeyOf(spec), kindSchema(spec, { "a-b": { type: "object", properties: { x: { type: "string" } } }, aB: { type: "object", properties: { y: { type: "string" } } } })]))),
        };
      },
    },
    {
      name: "groups-colliding-after-case-folding",
      expect: "fails",
      documents: () => {
        const specs = [
          resource("Widget", "widgets", { group: "Example.com", schemaKey: "com.upper.v1.Widget" }),
          resource("Widget", "widgets", { group: "example.com", schemaKey: "com.lower.v1.Widget" }),
          resource("Widget", "widgets", { group: "a-b.example.io", schemaKey: "io.ab1.v1.Widget" }),
          resource("Widget", "widgets", { group: "a.b.example.io", schemaKey: "io.ab2.v1.Widget" }),
        ];
        return Object.fromEntries(specs.map((spec) => [documentFile(spec.group, spec.version), groupVersionDocument([spec], { [schemaKeyOf(spec)]: kindSchema(spec) })]));
      },
    },
    {
      name: "same-kind-in-two-groups",
      expect: "generates",
      documents: () => {
        const a = resource("Certificate", "certificates", { group: "a.example.com", schemaKey: "com.example.a.v1.Certificate" });
        const b = resource("Certificate", "certificates", { group: "b.example.com", schemaKey: "com.example.b.v1.Certificate" });
        return {
          [documentFile(a.group, "v1")]: groupVersionDocument([a], { [schemaKeyOf(a)]: kindSchema(a, { spec: { type: "object", properties: { a: { type: "string" } } } }) }),
          [documentFile(b.group, "v1")]: groupVersionDocument([b], { [schemaKeyOf(b)]: kindSchema(b, { spec: { type: "object", properties: { b: { type: "integer" } } } }) }),
        };
      },
      descriptors: [
        { plural: "certificates", kind: "Certificate", group: "a.example.com" },
        { plural: "certificates", kind: "Certificate", group: "b.example.com" },
      ],
    },
    {
      name: "recursive-schemas",
      expect: "generates",
      documents: () =>
        single(
          widget,
          { spec: ref("com.example.v1.JSONSchemaProps"), tree: ref("com.example.v1.NodeA") },
          {
            "com.example.v1.JSONSchemaProps": {
              type: "object",
              properties: {
                properties: { type: "object", additionalProperties: ref("com.example.v1.JSONSchemaProps") },
                items: ref("com.example.v1.JSONSchemaPropsOrArray"),
                allOf: { type: "array", items: ref("com.example.v1.JSONSchemaProps") },
                not: ref("com.example.v1.JSONSchemaProps"),
              },
            },
            "com.example.v1.JSONSchemaPropsOrArray": { oneOf: [ref("com.example.v1.JSONSchemaProps"), { type: "array", items: ref("com.example.v1.JSONSchemaProps") }] },
            "com.example.v1.NodeA": { type: "object", properties: { b: ref("com.example.v1.NodeB"), self: ref("com.example.v1.NodeA") } },
            "com.example.v1.NodeB": { type: "object", properties: { a: { type: "array", items: ref("com.example.v1.NodeA") } } },
          },
        ),
    },
    {
      name: "ref-cycles",
      expect: "generates",
      documents: () =>
        single(
          widget,
          { a: ref("com.example.v1.AliasA"), self: ref("com.example.v1.Self"), list: ref("com.example.v1.SelfList"), union: ref("com.example.v1.SelfUnion"), wrapped: ref("com.example.v1.Wrapped") },
          {
            "com.example.v1.AliasA": ref("com.example.v1.AliasB"),
            "com.example.v1.AliasB": ref("com.example.v1.AliasC"),
            "com.example.v1.AliasC": ref("com.example.v1.AliasA"),
            "com.example.v1.Self": ref("com.example.v1.Self"),
            "com.example.v1.SelfList": { type: "array", items: ref("com.example.v1.SelfList") },
            "com.example.v1.SelfUnion": { oneOf: [ref("com.example.v1.SelfUnion"), { type: "string" }] },
            "com.example.v1.Wrapped": { allOf: [ref("com.example.v1.Wrapped")], nullable: true },
          },
        ),
    },
    {
      name: "deep-object-nesting-5000",
      expect: "fails",
      documents: () => nestedDocument(widget, 5000, '{"type":"object","properties":{"next":', "}}"),
    },
    {
      name: "deep-array-nesting-5000",
      expect: "fails",
      documents: () => nestedDocument(widget, 5000, '{"type":"array","items":', "}"),
    },
    {
      name: "deep-composition-nesting-5000",
      expect: "fails",
      documents: () => nestedDocument(widget, 5000, '{"allOf":[', "]}"),
    },
    {
      name: "huge-enum-100k",
      expect: "either",
      documents: () =>
        single(widget, {
          strings: { type: "string", enum: Array.from({ length: 100_000 }, (_, index) => `value-${index}`) },
          numbers: { type: "integer", enum: Array.from({ length: 100_000 }, (_, index) => index) },
        }),
    },
    {
      name: "document-50mb",
      expect: "either",
      documents: () => {
        // 50 properties with 1 MB descriptions, written as raw JSON to keep memory down.
        const chunk = "All work and no play makes a hostile description. */ ".repeat(20_000).slice(0, 1_000_000);
        const properties = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`field${index}`, { type: "string", description: chunk }]));
        return single(widget, properties);
      },
    },
    {
      name: "numbers-out-of-range",
      expect: "generates",
      documents: () => {
        const text = JSON.stringify(single(widget, { huge: { type: "number", enum: ["__HUGE__"] }, mixed: { type: "integer", enum: ["__MIXED__"], default: "__DEFAULT__" } }));
        const [file, document] = Object.entries(JSON.parse(text) as Record<string, Json>)[0]!;
        const raw = JSON.stringify(document)
          .replace('["__HUGE__"]', "[1e400, -1e400]")
          .replace('["__MIXED__"]', "[-0, 0, 12345678901234567890123, 1e21, 5e-324, -1e400]")
          .replace('"__DEFAULT__"', "1e400");
        return { [file]: raw };
      },
      checkOutput: async (out) => {
        const text = await readGenerated(out, `${group}/v1.ts`);
        expect(text).not.toMatch(/\bInfinity\b/);
      },
    },
    {
      name: "duplicated-keys",
      expect: "generates",
      documents: () => {
        const document = JSON.stringify(single(widget, { spec: { type: "string", description: "__DUP__" } })[documentFile(group, "v1")]);
        return {
          [documentFile(group, "v1")]: document.replace(
            `"type":"string","description":"__DUP__"`,
            `"type":"string","type":"object","properties":{"a":{"type":"string"},"a":{"type":"integer"}},"description":"first","description":"second"`,
          ),
        };
      },
    },
    {
      name: "dangling-ref",
      expect: "fails",
      documents: () => single(widget, { spec: ref("com.example.v1.Missing") }),
    },
    {
      name: "unknown-type",
      expect: "fails",
      documents: () => single(widget, { spec: { type: "wat" } }),
    },
    {
      name: "properties-not-an-object",
      expect: "fails",
      documents: () => single(widget, { spec: { type: "object", properties: [] } }),
    },
    {
      name: "schema-not-an-object",
      expect: "fails",
      documents: () => single(widget, { spec: "just a string" }),
    },
    {
      name: "not-json",
      expect: "fails",
      documents: () => ({ [documentFile(group, "v1")]: '{"openapi": "3.0.0", "paths": {\u0000' }),
      errorNames: /v1\.json/,
      noPointer: true,
    },
  ];
}
