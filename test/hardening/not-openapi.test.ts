// Documents that are not OpenAPI, and sources that serve nothing: refused by name, the output folder untouched.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../generator/cli/main.js";
import { captureIo, readTree } from "../support/cli-io.js";
import { makeTempDir } from "../support/tmp.js";
import { documentFile, groupVersionDocument, kindSchema, writeDocuments, type ResourceSpec } from "./support/documents.js";
import { writeSnapshotFolder } from "./support/snapshot-folder.js";

const widget: ResourceSpec = { group: "example.com", version: "v1", kind: "Widget", plural: "widgets" };
const pod: ResourceSpec = { group: "", version: "v1", kind: "Pod", plural: "pods", schemaKey: "io.k8s.api.core.v1.Pod" };
const widgetDocument = () => groupVersionDocument([widget], { "com.example.v1.Widget": kindSchema(widget) });

describe.sequential("sources that are not OpenAPI, or serve nothing", () => {
  let root = "";
  let good = "";
  let out = "";
  let before: Record<string, string> = {};
  let tsconfig = "";

  /** An OpenAPI v3 folder holding the widget's document and `core` as api/v1.json. */
  async function folder(name: string, core: unknown): Promise<string> {
    const dir = path.join(root, name);
    await writeDocuments(dir, { [documentFile("example.com", "v1")]: widgetDocument(), "api/v1.json": typeof core === "string" ? core : JSON.stringify(core) });
    return dir;
  }

  /** Runs the CLI, expecting a refusal that leaves `out` exactly as it was; returns stderr. */
  async function refused(argv: string[], code = 1): Promise<string> {
    const io = captureIo();
    expect(await main(argv, io), io.err).toBe(code);
    expect(await readTree(out)).toEqual(before);
    return io.err;
  }

  beforeAll(async () => {
    root = await makeTempDir("not-openapi-");
    good = path.join(root, "good");
    await writeDocuments(good, { [documentFile("example.com", "v1")]: widgetDocument() });
    out = path.join(root, "generated");
    expect(await main(["generate", "--from", good, "--out", out], captureIo())).toBe(0);
    before = await readTree(out);
    tsconfig = path.join(root, "tsconfig.json");
    await writeFile(path.join(root, "main.ts"), "export const answer = 42;\n");
    await writeFile(tsconfig, JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true }, files: ["main.ts"] }));
  });

  for (const [name, core, expected] of [
    ["an array", [1, 2, 3], /api\/v1\.json: is an array, not an OpenAPI v3 document/],
    ["an empty object", {}, /api\/v1\.json: has none of `openapi`, `paths`, `components`: not an OpenAPI v3 document/],
    ["a string", "\"v1\"", /api\/v1\.json: is a string, not an OpenAPI v3 document/],
    ["components that are not an object", { openapi: "3.0.0", components: [] }, /api\/v1\.json at \/components: `components` is an array, expected an object/],
  ] as const) {
    it(`api/v1.json holding ${name}: generate and check refuse it, naming the file`, async () => {
      const from = await folder(name.replace(/ /g, "-"), core);
      expect(await refused(["generate", "--from", from, "--out", out])).toMatch(expected);
      expect(await refused(["generate", "--from", good, "--from", from, "--out", out])).toMatch(expected);
      const check = captureIo();
      expect(await main(["check", "--against", from, "--out", out, "--project", tsconfig], check)).toBe(1);
      expect(check.err).toMatch(expected);
      expect(check.out).not.toContain("not served");
    });
  }

  it("a folder whose documents describe no resource: refused unless --allow-empty", async () => {
    const from = path.join(root, "no-resources");
    await writeDocuments(from, { "api/v1.json": { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1" }, paths: {}, components: { schemas: {} } } });
    expect(await refused(["generate", "--from", from, "--out", out])).toMatch(
      /^error: openapi folder .*no-resources serves no group\/version to generate; nothing was written\..*or pass --allow-empty/m,
    );
    // One target contributing nothing empties what all serve: said as that target's problem.
    expect(await refused(["generate", "--from", good, "--from", from, "--out", out])).toMatch(/no-resources serves no group\/version to generate/);
    const check = captureIo();
    expect(await main(["check", "--against", from, "--out", out, "--project", tsconfig], check)).toBe(1);
    expect(check.err).toMatch(/no-resources serves no group\/version to check against/);
    const allowed = captureIo();
    expect(await main(["generate", "--from", from, "--out", path.join(root, "empty-out"), "--allow-empty"], allowed)).toBe(0);
    expect(allowed.out).toContain("0 group/versions");
  });

  it("targets with nothing in common: refused, naming them", async () => {
    const other = path.join(root, "other");
    const gadget: ResourceSpec = { group: "other.example.com", version: "v1", kind: "Gadget", plural: "gadgets" };
    await writeDocuments(other, { [documentFile(gadget.group, "v1")]: groupVersionDocument([gadget], { "com.example.other.v1.Gadget": kindSchema(gadget) }) });
    expect(await refused(["generate", "--from", good, "--from", other, "--out", out])).toMatch(/the API common to .*other, .*good serves no group\/version/);
  });

  it("an /openapi/v3 index that leaves out api/v1 while discovery serves v1: refused, naming the index", async () => {
    const snapshot = path.join(root, "index-without-core");
    await writeSnapshotFolder(snapshot, {
      gitVersion: "v1.30.0",
      groupVersions: [
        { resources: [pod], schemas: { "io.k8s.api.core.v1.Pod": kindSchema(pod) }, unlisted: true },
        { resources: [widget], schemas: { "com.example.v1.Widget": kindSchema(widget) } },
      ],
    });
    expect(await refused(["generate", "--from", snapshot, "--out", out])).toMatch(
      /^error: \/openapi\/v3: the OpenAPI v3 index of snapshot .*index-without-core does not list api\/v1/m,
    );
  });
});
