import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { format } from "prettier";
import { emitModules, PRETTIER_OPTIONS } from "../../generator/emit/index.js";
import type { GeneratedFile } from "../../generator/emit/index.js";
import { buildModel } from "../../generator/model/index.js";
import { loadOpenApiV3Folder } from "../../generator/sources/openapi-folder.js";
import { typecheckFolder, writeFiles } from "../corpus/support/typecheck.js";
import { makeTempDir } from "../support/tmp.js";

/**
 * Golden cases: `<case>/input` holds OpenAPI v3 documents we wrote (`api/v1.json`, `apis/<g>/<v>.json`),
 * `<case>/options.json` optional buildModel options, `<case>/expected` the committed output (already as
 * prettier formats it: the emitter prints it so). `UPDATE_GOLDEN=1` rewrites `expected`.
 */
const goldenRoot = fileURLToPath(new URL(".", import.meta.url));
const cases = readdirSync(goldenRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(goldenRoot, entry.name, "input")))
  .map((entry) => entry.name)
  .sort();
const update = process.env["UPDATE_GOLDEN"] === "1";

async function generate(caseName: string): Promise<GeneratedFile[]> {
  const dir = path.join(goldenRoot, caseName);
  const optionsFile = path.join(dir, "options.json");
  const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, "utf8")) as { groups?: string[] }) : {};
  const model = buildModel(await loadOpenApiV3Folder(path.join(dir, "input")), options);
  return emitModules(model, { generatorVersion: "golden" });
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`])),
  );
  return nested.flat().sort();
}

describe("golden output", () => {
  it("has the cases it is meant to have", () => {
    expect(cases).toEqual(["crd-two-versions", "hostile", "name-collisions", "subresource-verbs"]);
  });

  for (const caseName of cases) {
    it(`${caseName}: generates exactly the committed output`, async () => {
      const files = await generate(caseName);
      const expectedDir = path.join(goldenRoot, caseName, "expected");
      if (update) {
        await rm(expectedDir, { recursive: true, force: true });
        await mkdir(expectedDir, { recursive: true });
        await writeFiles(expectedDir, files);
      }
      expect(await listFiles(expectedDir)).toEqual(files.map((file) => file.path));
      for (const file of files) {
        expect(file.content, `${caseName}/expected/${file.path} differs; run UPDATE_GOLDEN=1 and review the diff`).toBe(
          await readFile(path.join(expectedDir, file.path), "utf8"),
        );
      }
    });
  }

  it("prints every file as prettier formats it, so running prettier over the output changes nothing", async () => {
    for (const caseName of cases) {
      for (const file of await generate(caseName)) expect(await format(file.content, { ...PRETTIER_OPTIONS }), `${caseName}/${file.path}`).toBe(file.content);
    }
  });

  it("is deterministic: the same input gives the same bytes", async () => {
    for (const caseName of cases) expect(await generate(caseName)).toEqual(await generate(caseName));
  });

  it("type-checks under strict (every case's committed output, one program)", async () => {
    const dir = await makeTempDir("golden-typecheck-");
    for (const caseName of cases) {
      const expectedDir = path.join(goldenRoot, caseName, "expected");
      const files = await Promise.all(
        (await listFiles(expectedDir)).map(async (file) => ({ path: file, content: await readFile(path.join(expectedDir, file), "utf8") })),
      );
      await writeFiles(path.join(dir, caseName), files);
    }
    await writeFile(path.join(dir, "marker.ts"), "export {};\n");
    expect(await typecheckFolder(dir)).toBe("");
  }, 120_000);
});
