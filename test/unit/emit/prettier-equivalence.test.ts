// The emitter prints modules itself (generator/emit/doc.ts) instead of running prettier over them: its output
// must be exactly what prettier prints with the options generated code has always had, so running prettier
// over a generated folder changes nothing and no byte of existing output moved.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { readTemplateCrds, scaleCrds } from "../../../bench/crds/scale-crds.js";
import { readBuiltins, writeScaleSnapshot } from "../../../bench/crds/snapshot.js";
import { emitModules, PRETTIER_OPTIONS, type GeneratedFile } from "../../../generator/emit/index.js";
import { buildModel } from "../../../generator/model/index.js";
import { loadSources } from "../../../generator/sources/index.js";
import { loadOpenApiV3Folder } from "../../../generator/sources/openapi-folder.js";
import { describeWithSharedData, sharedK8sPath } from "../../support/shared-data.js";
import { makeTempDir } from "../../support/tmp.js";

async function expectPrettierStable(files: GeneratedFile[]): Promise<void> {
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) expect(await format(file.content, { ...PRETTIER_OPTIONS }), file.path).toBe(file.content);
}

const enumOf = (count: number, width: number) => Array.from({ length: count }, (_, i) => `${"v".repeat(width)}${i}`);
const long = "k".repeat(40);

/** A kind whose fields are the shapes that lay out differently by width: unions, arrays of them, maps, quoting. */
function shapesDocument(): unknown {
  const gvk = { group: "shapes.example.com", version: "v1", kind: "Shape" };
  const op = (action: string) => ({ "x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk, responses: { 200: { description: "OK", content: { "application/json": { schema: { $ref: "#/components/schemas/com.example.shapes.v1.Shape" } } } } } });
  const base = "/apis/shapes.example.com/v1/namespaces/{namespace}/shapes";
  const properties: Record<string, unknown> = {
    [`${long}Fits`]: { type: "string", enum: enumOf(3, 30), description: "Fits on the next line." },
    [`${long}Breaks`]: { type: "string", enum: enumOf(4, 30), description: "Line one.\n\n Indented line two.\nLast line  " },
    nullableEnum: { type: "string", enum: enumOf(5, 20), nullable: true },
    arrayOfEnums: { type: "array", items: { type: "string", enum: enumOf(6, 20) } },
    arrayOfNullableMaps: { type: "array", items: { type: "object", nullable: true, additionalProperties: { type: "string", enum: enumOf(8, 12) } } },
    mapOfEnums: { type: "object", additionalProperties: { type: "string", enum: enumOf(4, 34) } },
    numbers: { type: "number", enum: [1e21, -2, 0.5, 3] },
    'quote"d': { type: "string", enum: ['a"b', "it's", "plain", "line\u2028sep"] },
    "x-dashed": { type: "integer", format: "int32" },
    intOrString: { "x-kubernetes-int-or-string": true },
    empty: { type: "object" },
    free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    日本語: { type: "string", description: "Wide characters: 日本語のテキスト" },
  };
  const schema = { type: "object", description: "A kind made of awkward shapes.", "x-kubernetes-group-version-kind": [gvk], properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, spec: { type: "object", properties }, status: { type: "object", properties: { replicas: { type: "integer" } } } } };
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "unversioned" },
    paths: {
      [base]: { get: op("list"), post: op("post") },
      [`${base}/{name}`]: { get: op("get"), put: op("put"), patch: op("patch"), delete: op("delete") },
      [`${base}/{name}/status`]: { get: op("get"), patch: op("patch"), put: op("put") },
    },
    components: { schemas: { "com.example.shapes.v1.Shape": schema } },
  };
}

describe("the emitter prints what prettier prints", () => {
  it("for unions, arrays and maps of them, number and quoted literals, wide characters and multi-line comments", async () => {
    const dir = await makeTempDir("prettier-shapes-");
    await mkdir(join(dir, "apis", "shapes.example.com"), { recursive: true });
    await writeFile(join(dir, "apis", "shapes.example.com", "v1.json"), JSON.stringify(shapesDocument()));
    const files = emitModules(buildModel(await loadOpenApiV3Folder(dir)), { generatorVersion: "test" });
    const shapes = files.find((file) => file.path === "shapes.example.com/v1.ts")!.content;
    // The cases the widths were chosen for: one on the next line, one a member per line.
    expect(shapes).toContain(`  ${long}Fits?:\n    "${"v".repeat(30)}0" | "${"v".repeat(30)}1" | "${"v".repeat(30)}2";`);
    expect(shapes).toContain(`  ${long}Breaks?:\n    | "${"v".repeat(30)}0"\n`);
    expect(shapes).toContain(`'quote"d'?: 'a"b' | "it's" | "line\\u2028sep" | "plain";`);
    expect(shapes).toContain("numbers?: -2 | 0.5 | 3 | 1e21;");
    await expectPrettierStable(files);
  });

  for (const version of ["1.23", "1.35"]) {
    describeWithSharedData(`openapi-v3/${version}`, `for the Kubernetes ${version} documents`, (folder) => {
      it("every module", async () => {
        await expectPrettierStable(emitModules(buildModel(await loadOpenApiV3Folder(folder)), { generatorVersion: "test" }));
      }, 120_000);
    });
  }

  describeWithSharedData("crds", "for a snapshot of 20 varied copies of the real CRDs (the bench's scale cluster)", (crds) => {
    it("every module", async () => {
      const dir = await makeTempDir("prettier-crds-");
      try {
        const builtins = await readBuiltins(sharedK8sPath("openapi-v3", "1.35"));
        await writeScaleSnapshot(join(dir, "snapshot"), scaleCrds(await readTemplateCrds(crds), 20), builtins);
        const files = emitModules(buildModel(await loadSources({ from: join(dir, "snapshot") })), { generatorVersion: "test" });
        await expectPrettierStable(files.filter((file) => file.path.includes(".scale.kubetyped.dev/")));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 180_000);
  });
});
