// Validators are written beside the types unless turned off; the manifest, the fingerprint and the change report know them.
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../generator/cli/main.js";
import { generate } from "../../../generator/generate.js";
import { readManifest } from "../../../generator/write/index.js";
import { captureIo, readTree } from "../../support/cli-io.js";
import { makeTempDir } from "../../support/tmp.js";

const input = fileURLToPath(new URL("../../golden/crd-two-versions/input", import.meta.url));
const groups = ["example.com"];
const validatorFiles = (tree: Record<string, string>) => Object.keys(tree).filter((file) => file.endsWith(".validate.ts")).sort();

describe("validators by default", () => {
  let folder: string;
  let root: string;
  beforeEach(async () => {
    root = await makeTempDir("validators-default-");
    folder = path.join(root, "input");
    await cp(input, folder, { recursive: true });
  });

  it("writes <group>/<version>.validate.ts beside each module, loaded by each descriptor through a dynamic import, and lists them in the manifest", async () => {
    const out = path.join(root, "generated");
    await generate({ from: folder, out, groups });
    const tree = await readTree(out);
    // The selected group/versions, and the modules of the types they reference (their schemas' $refs reach there).
    expect(validatorFiles(tree)).toEqual(["autoscaling/v1.validate.ts", "example.com/v1.validate.ts", "example.com/v1beta1.validate.ts", "meta/v1.validate.ts"]);
    expect(tree["example.com/v1.ts"]).toMatch(/import\("\.\/v1\.validate\.js"\)/);
    expect(tree["example.com/v1.ts"]).toMatch(/validation: \{ load: /);
    const manifest = (await readManifest(out))!;
    expect(manifest.files).toEqual(expect.arrayContaining(validatorFiles(tree)));
    for (const file of validatorFiles(tree)) expect(manifest.fileHashes?.[file]?.written).toMatch(/^[0-9a-f]{64}$/);
  });

  it("writes the same bytes every time, and an unchanged regeneration redoes nothing", async () => {
    const [first, second] = [path.join(root, "one"), path.join(root, "two")];
    await generate({ from: folder, out: first, groups });
    await generate({ from: folder, out: second, groups });
    expect(await readTree(second)).toEqual(await readTree(first));
    const again = await generate({ from: folder, out: first, groups });
    expect(again).toMatchObject({ reused: { all: true }, written: false, changes: [] });
  });

  it("--no-validators writes neither the files nor the descriptors' validation; switching either way regenerates", async () => {
    const out = path.join(root, "generated");
    const io = captureIo();
    expect(await main(["generate", "--from", folder, "--groups", "example.com", "--out", out, "--no-validators"], io)).toBe(0);
    const without = await readTree(out);
    expect(validatorFiles(without)).toEqual([]);
    expect(without["example.com/v1.ts"]).not.toContain("validate");
    const on = await generate({ from: folder, out, groups });
    expect(on.reused.all).toBe(false);
    expect(on.changes.filter((change) => change.path.endsWith(".validate.ts")).map((change) => [change.change, change.path])).toEqual([
      ["added", "autoscaling/v1.validate.ts"],
      ["added", "example.com/v1.validate.ts"],
      ["added", "example.com/v1beta1.validate.ts"],
      ["added", "meta/v1.validate.ts"],
    ]);
    // Turning validators on is no API change.
    expect(on.report.entries).toEqual([]);
    const off = await generate({ from: folder, out, groups, validators: false });
    expect(off.reused.all).toBe(false);
    expect(await readTree(out)).toEqual(without);
  });

  it("reports a type whose validation rules changed though its fields read the same", async () => {
    const out = path.join(root, "generated");
    await generate({ from: folder, out, groups });
    const before = (await readManifest(out))!.fileHashes?.["example.com/v1.validate.ts"]?.written;
    const file = path.join(folder, "apis", "example.com", "v1.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"pattern": "^[0-9]+$"', '"pattern": "^[1-9][0-9]*$"'));
    const io = captureIo();
    expect(await main(["generate", "--from", folder, "--groups", "example.com", "--out", out], io)).toBe(0);
    expect(io.out).toContain("API changes: 0 added, 0 removed, 1 changed, 0 breaking\n         changed rules        example.com/v1 Widget (validation rules)\n");
    const manifest = (await readManifest(out))!;
    expect(manifest.fileHashes?.["example.com/v1.validate.ts"]?.written).not.toBe(before);
  });
});
