// Validators generated for several targets judge as `kubetyped validate` against the same targets: valid only if valid on all.
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../../generator/generate.js";
import { mergeSchema } from "../../../generator/model/merge-validation.js";
import { validateManifests } from "../../../generator/validate/index.js";
import { validateWithModule, type SchemaNode, type ValidationModule } from "../../../runtime/validate/index.js";
import { readTree } from "../../support/cli-io.js";
import { makeTempDir } from "../../support/tmp.js";

const errorsOf = (schema: SchemaNode, value: unknown) => {
  const module: ValidationModule = { module: "example.com/v1", schemas: { Thing: schema }, imports: {} };
  // Wrapped as an object's field, so metadata.name is there and only the field is judged.
  return validateWithModule(module, "Thing", { metadata: { name: "x" }, field: value }, false);
};
const field = (node: Record<string, unknown>): SchemaNode => ({ type: "object", properties: { field: node as SchemaNode } });

/** Pairs of one field's schema on two targets, and values to judge on each. */
const PAIRS: Array<{ name: string; a: Record<string, unknown>; b: Record<string, unknown>; values: unknown[] }> = [
  { name: "enum", a: { type: "string", enum: ["small", "large"] }, b: { type: "string", enum: ["small", "huge"] }, values: ["small", "large", "huge", "tiny", 3] },
  { name: "pattern", a: { type: "string", pattern: "^[a-z]+$" }, b: { type: "string", pattern: "^[a-z0-9]{1,4}$" }, values: ["abc", "abcdef", "ab1", "A", ""] },
  { name: "lengths", a: { type: "string", maxLength: 5, minLength: 1 }, b: { type: "string", maxLength: 3, minLength: 2 }, values: ["a", "ab", "abcd", "abcdef"] },
  {
    name: "exclusive bounds",
    a: { type: "integer", minimum: 0, exclusiveMinimum: true },
    b: { type: "integer", minimum: -1, maximum: 10 },
    values: [-1, 0, 1, 10, 11],
  },
  { name: "int-or-string against string", a: { "x-kubernetes-int-or-string": true }, b: { type: "string", nullable: true }, values: [1, "a", null, true] },
  {
    name: "rules and required",
    a: { type: "object", required: ["x"], properties: { x: { type: "integer" } }, "x-kubernetes-validations": [{ rule: "self.x > 0" }] },
    b: { type: "object", required: ["y"], properties: { x: { type: "integer", maximum: 5 }, y: { type: "string" } } },
    values: [{ x: 1, y: "a" }, { x: 0, y: "a" }, { x: 6, y: "a" }, { x: 1 }, { y: "a" }],
  },
  { name: "list types", a: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" }, b: { type: "array", items: { type: "string", maxLength: 1 } }, values: [["a", "b"], ["a", "a"], ["ab"]] },
];

describe("one schema for several targets", () => {
  for (const pair of PAIRS) {
    it(`${pair.name}: refuses exactly what either target refuses, both ways round`, () => {
      const [a, b] = [field(pair.a), field(pair.b)];
      for (const merged of [mergeSchema(a, b), mergeSchema(b, a)]) {
        const verdicts = pair.values.map((value) => ({ value, merged: errorsOf(merged, value).length === 0, onAll: errorsOf(a, value).length === 0 && errorsOf(b, value).length === 0 }));
        expect(verdicts.map(({ value, merged: valid }) => ({ value, valid }))).toEqual(verdicts.map(({ value, onAll }) => ({ value, valid: onAll })));
        // Both kinds of verdict occur, or the pair proves nothing.
        expect(new Set(verdicts.map((verdict) => verdict.onAll)).size, JSON.stringify(verdicts)).toBe(2);
      }
    });
  }

  it("keeps a schema both targets spell alike as it is", () => {
    const schema = field({ type: "string", pattern: "^a$" });
    expect(mergeSchema(schema, structuredClone(schema))).toBe(schema);
  });
});

const input = fileURLToPath(new URL("../../golden/crd-two-versions/input", import.meta.url));

/** An OpenAPI folder whose Widget's spec.size and spec.name differ as `spec` says. */
async function targetFolder(root: string, name: string, spec: { size: string[]; name: Record<string, unknown> }): Promise<string> {
  const folder = path.join(root, name);
  await cp(input, folder, { recursive: true });
  const file = path.join(folder, "apis", "example.com", "v1.json");
  const document = JSON.parse(await readFile(file, "utf8")) as { components: { schemas: Record<string, { properties: { spec: { properties: Record<string, unknown> } } }> } };
  const properties = document.components.schemas["com.example.v1.Widget"]!.properties.spec.properties;
  properties["size"] = { type: "string", enum: spec.size };
  properties["name"] = { type: "string", ...spec.name };
  await writeFile(file, JSON.stringify(document));
  return folder;
}

describe("generate from several targets writes validators that are valid only where valid on all", () => {
  let root: string;
  let targets: Array<{ from: string }>;
  let manifests: string;
  const specs = [
    { size: "small", name: "abc" }, // valid on both
    { size: "large", name: "abc" }, // size: only on A
    { size: "huge", name: "abc" }, // size: only on B
    { size: "small", name: "abcdef" }, // name: too long on B
    { size: "small", name: "ab1" }, // name: pattern of A
    { size: "tiny", name: "A" }, // neither
  ];
  beforeAll(async () => {
    root = await makeTempDir("several-validators-");
    targets = [
      { from: await targetFolder(root, "a", { size: ["small", "medium", "large"], name: { pattern: "^[a-z]+$" } }) },
      { from: await targetFolder(root, "b", { size: ["small", "medium", "huge"], name: { pattern: "^[a-z0-9]+$", maxLength: 5 } }) },
    ];
    manifests = path.join(root, "manifests");
    const documents = specs.map((spec, index) => JSON.stringify({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: `w${index}` }, spec: { ...spec, replicas: 1 } }));
    await writeFile(`${manifests}.yaml`, documents.join("\n---\n"));
  });

  it("gives each manifest the verdict of `kubetyped validate --from A --from B`, whichever order the targets come in", async () => {
    const [forth, back] = [path.join(root, "forth"), path.join(root, "back")];
    const result = await generate({ targets, out: forth, groups: ["example.com/v1"] });
    expect(result.files).toBeGreaterThan(0);
    await generate({ targets: [...targets].reverse(), out: back, groups: ["example.com/v1"] });
    expect(await readTree(back)).toEqual(await readTree(forth));
    expect(Object.keys(await readTree(forth))).toContain("example.com/v1.validate.ts");

    const invalidDocuments = (problems: ReadonlyArray<{ document: number }>) => [...new Set(problems.map((problem) => problem.document))].sort();
    const generated = await validateManifests({ files: [`${manifests}.yaml`], out: forth });
    const onAll = await validateManifests({ files: [`${manifests}.yaml`], targets });
    expect(generated.documents).toBe(specs.length);
    expect(invalidDocuments(onAll.problems)).toEqual([2, 3, 4, 5, 6]);
    expect(invalidDocuments(generated.problems)).toEqual(invalidDocuments(onAll.problems));
    // The enum lists the values every target supports.
    expect(generated.problems.find((problem) => problem.document === 2)?.message).toContain('supported values: "small", "medium"');
  });
});
