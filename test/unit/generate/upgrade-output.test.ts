import { createHash } from "node:crypto";
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import { generate } from "../../../generator/generate.js";
import { listTree } from "../../../generator/write/index.js";
import { makeTempDir } from "../../support/tmp.js";

/**
 * A user upgrading kubetyped regenerates into a folder an older generator wrote. `fixtures/manifest-0.1.0.json`
 * is the manifest kubetyped 0.1.0 wrote (the whole API summary and a self-hash inside it) generating the golden
 * crd-two-versions input with `--groups example.com`; its modules are today's but for the runtime entry they
 * import `defineResource` from (the front door then, `/plumbing` now; the test checks their hashes), so the older
 * folder is today's modules with that import and that manifest, and no summary files. 0.1.0 wrote no
 * validators: these generations leave them out too, and one test turns them on over the older folder.
 */
const input = fileURLToPath(new URL("../../golden/crd-two-versions/input", import.meta.url));
const olderManifest = fileURLToPath(new URL("fixtures/manifest-0.1.0.json", import.meta.url));
const groups = ["example.com"];
const validators = false;

const PLUMBING_IMPORT = 'import { defineResource } from "kubetyped/runtime/plumbing";';
const OLDER_IMPORT = 'import { defineResource } from "kubetyped/runtime";';

/** The folder kubetyped 0.1.0 wrote for `input`, rebuilt: its manifest over the same modules. Answers the modules whose import it put back. */
async function writeOlderOutput(input: string, out: string): Promise<string[]> {
  await generate({ from: input, out, groups, validators });
  await rm(path.join(out, ".summary"), { recursive: true });
  const manifest = JSON.parse(await readFile(olderManifest, "utf8")) as { files: string[]; fileHashes: Record<string, { written: string }> };
  const reverted: string[] = [];
  for (const file of manifest.files) {
    const today = await readFile(path.join(out, file), "utf8");
    const older = today.replace(PLUMBING_IMPORT, OLDER_IMPORT);
    if (older !== today) reverted.push(file);
    await writeFile(path.join(out, file), older);
    const hash = createHash("sha256").update(older).digest("hex");
    expect(hash, `${file} is not what kubetyped 0.1.0 wrote`).toBe(manifest.fileHashes[file]!.written);
  }
  await cp(olderManifest, path.join(out, "manifest.json"));
  return reverted;
}

async function readTree(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of await listTree(folder)) files[file] = await readFile(path.join(folder, file), "utf8");
  return files;
}

describe("regenerating into a folder an older generator wrote (its summary inside manifest.json)", () => {
  let root: string;
  let folder: string;
  let out: string;
  let reverted: string[];
  beforeEach(async () => {
    root = await makeTempDir("upgrade-output-");
    folder = path.join(root, "input");
    out = path.join(root, "generated");
    await cp(input, folder, { recursive: true });
    reverted = await writeOlderOutput(folder, out);
  });

  it("reads the older summary (no change reported for the same API), keeps the other modules, and ends as a fresh generation would", async () => {
    const older = JSON.parse(await readFile(path.join(out, "manifest.json"), "utf8"));
    expect(older.summary.groupVersions["example.com/v1"]).toBeDefined();
    expect(reverted).toEqual(["example.com/v1.ts", "example.com/v1beta1.ts"]);
    const result = await generate({ from: folder, out, groups, validators });
    expect(result.report).toEqual({ entries: [], breaking: 0, initial: false });
    // The modules importing the runtime are rewritten (the new line imports `/plumbing`); the others are kept.
    const changed = result.changes.filter((change) => !change.path.startsWith(".summary/"));
    expect(changed).toEqual([...reverted.map((file) => ({ path: file, change: "changed" })), { path: "manifest.json", change: "changed" }]);
    expect(result.reused.files).toBe(older.files.length - reverted.length);

    const manifest = JSON.parse(await readFile(path.join(out, "manifest.json"), "utf8"));
    expect(manifest.summary).toBeUndefined();
    expect(manifest.manifestHash).toBeUndefined();
    const fresh = path.join(root, "fresh");
    await generate({ from: folder, out: fresh, groups, validators });
    expect(await readTree(out)).toEqual(await readTree(fresh));
    expect((await generate({ from: folder, out, groups, validators })).reused.all).toBe(true);
  });

  it("turning validators on over the older folder reports no API change, and adds them", async () => {
    const result = await generate({ from: folder, out, groups });
    expect(result.report).toEqual({ entries: [], breaking: 0, initial: false });
    expect(result.changes.filter((change) => change.path.endsWith(".validate.ts")).map((change) => change.change)).toEqual(["added", "added", "added", "added"]);
  });

  it("reports a changed API against the older summary, and removes the modules it no longer generates", async () => {
    const file = path.join(folder, "apis/example.com/v1.json");
    const document = JSON.parse(await readFile(file, "utf8"));
    document.components.schemas["com.example.v1.Widget"].properties.spec.properties.colour = { type: "string" };
    await writeFile(file, JSON.stringify(document));
    await writeFile(path.join(out, "README.md"), "mine\n");

    const result = await generate({ from: folder, out, groups: ["example.com/v1"], validators });
    expect(result.report.entries).toEqual([
      { change: "added", subject: "field", path: "example.com/v1 WidgetSpec.colour", breaking: false },
      { change: "removed", subject: "groupVersion", path: "example.com/v1beta1", breaking: true },
    ]);
    const tree = await listTree(out);
    expect(tree).not.toContain("example.com/v1beta1.ts");
    expect(tree).toEqual(expect.arrayContaining(["README.md", "example.com/v1.ts", ".summary/example.com/v1.json", "manifest.json"]));
  });
});
