import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listTree, readManifest, writeOutput, WriteError, type Manifest, type TreeIo } from "../../../generator/write/index.js";

let root: string;
let out: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "kubetyped-write-"));
  out = join(root, "generated");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function manifestFor(hash: string): Omit<Manifest, "files"> {
  return {
    generator: "kubetyped",
    generatorVersion: "9.9.9",
    runtimeVersion: "^9.9.9",
    clusterVersion: "v1.20.2",
    openapi: "v2",
    sourceHashes: { "batch/v1": hash },
    skipped: [],
  };
}

const filesV1 = [
  { path: "batch/v1.ts", content: "export interface Job {\n  spec?: JobSpec;\n}\nexport interface JobSpec {\n  parallelism?: number;\n}\n" },
  { path: "core/v1.ts", content: "export type Pod = { name: string };\n" },
];

async function snapshotTree(folder: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const path of await listTree(folder)) entries[path] = await readFile(join(folder, path), "utf8");
  return entries;
}

describe("writeOutput", () => {
  it("writes the files as emitted and a manifest naming versions, hashes and files", async () => {
    const result = await writeOutput({ out, files: filesV1, manifest: manifestFor("h1") });
    expect(result.written).toBe(true);
    expect(await listTree(out)).toEqual(["batch/v1.ts", "core/v1.ts", "manifest.json"]);
    expect(await readFile(join(out, "core/v1.ts"), "utf8")).toBe("export type Pod = { name: string };\n");
    expect(await readFile(join(out, "batch/v1.ts"), "utf8")).toBe(
      "export interface Job {\n  spec?: JobSpec;\n}\nexport interface JobSpec {\n  parallelism?: number;\n}\n",
    );
    const manifest = await readManifest(out);
    expect(manifest).toEqual({ ...manifestFor("h1"), files: ["batch/v1.ts", "core/v1.ts"], fileHashes: expect.any(Object) });
    expect(Object.keys(manifest?.fileHashes ?? {})).toEqual(["batch/v1.ts", "core/v1.ts"]);
    const text = await readFile(join(out, "manifest.json"), "utf8");
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/); // no timestamps
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("is deterministic: the same input gives byte-identical trees, whatever the input order", async () => {
    await writeOutput({ out, files: filesV1, manifest: manifestFor("h1") });
    const other = join(root, "other");
    await writeOutput({ out: other, files: [...filesV1].reverse(), manifest: manifestFor("h1") });
    expect(await snapshotTree(other)).toEqual(await snapshotTree(out));
    const again = await writeOutput({ out, files: filesV1, manifest: manifestFor("h1") });
    expect(again).toMatchObject({ changes: [], written: false });
  });

  it("check mode lists what would change and writes nothing", async () => {
    await writeOutput({ out, files: filesV1, manifest: manifestFor("h1") });
    const before = await snapshotTree(out);
    const result = await writeOutput({
      out,
      files: [{ path: "batch/v1.ts", content: "export interface Job {}" }, { path: "apps/v1.ts", content: "export {}" }],
      manifest: manifestFor("h2"),
      check: true,
    });
    expect(result.written).toBe(false);
    expect(result.changes).toEqual([
      { path: "apps/v1.ts", change: "added" },
      { path: "batch/v1.ts", change: "changed" },
      { path: "core/v1.ts", change: "removed" },
      { path: "manifest.json", change: "changed" },
    ]);
    expect(await snapshotTree(out)).toEqual(before);
    const clean = await writeOutput({ out, files: filesV1, manifest: manifestFor("h1"), check: true });
    expect(clean.changes).toEqual([]);
  });

  it("removes files it generated before and keeps files it never owned", async () => {
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "README.md"), "mine\n");
    await writeFile(join(out, ".gitignore"), "*\n");
    await writeOutput({ out, files: filesV1, manifest: manifestFor("h1") });
    const result = await writeOutput({ out, files: [filesV1[0]!], manifest: manifestFor("h2") });
    expect(result.previous?.sourceHashes).toEqual({ "batch/v1": "h1" });
    expect(await listTree(out)).toEqual([".gitignore", "README.md", "batch/v1.ts", "manifest.json"]);
    expect(await readFile(join(out, "README.md"), "utf8")).toBe("mine\n");
  });

  it("leaves the previous tree intact when writing the new one fails midway", async () => {
    await writeOutput({ out, files: filesV1, manifest: manifestFor("h1") });
    const before = await snapshotTree(out);
    let written = 0;
    const crashingIo: TreeIo = {
      async writeFile(path, content) {
        if (++written === 2) throw new Error("ENOSPC: no space left on device");
        await writeFile(path, content);
      },
      rename: async (from, to) => (await import("node:fs/promises")).rename(from, to),
    };
    const changed = [{ path: "batch/v1.ts", content: "export interface Job {}" }, filesV1[1]!];
    await expect(writeOutput({ out, files: changed, manifest: manifestFor("h2"), io: crashingIo })).rejects.toThrow(
      /generated\.tmp-\d+: could not write the new tree \(the previous output is untouched\): ENOSPC/,
    );
    expect(await snapshotTree(out)).toEqual(before);
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("restores the previous tree when the final rename fails", async () => {
    await writeOutput({ out, files: filesV1, manifest: manifestFor("h1") });
    const before = await snapshotTree(out);
    const { rename, writeFile: write } = await import("node:fs/promises");
    const io: TreeIo = {
      writeFile: (path, content) => write(path, content),
      async rename(from, to) {
        if (from.includes(".tmp-")) throw new Error("EXDEV: cross-device link not permitted");
        await rename(from, to);
      },
    };
    await expect(
      writeOutput({ out, files: [{ path: "x/v1.ts", content: "export {}" }], manifest: manifestFor("h3"), io }),
    ).rejects.toThrow(WriteError);
    expect(await snapshotTree(out)).toEqual(before);
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("refuses output paths that would escape the folder, and an --out that is a file", async () => {
    await expect(writeOutput({ out, files: [{ path: "../evil.ts", content: "" }], manifest: manifestFor("h") })).rejects.toThrow(
      /\.\.\/evil\.ts: output file path must be relative/,
    );
    await writeFile(join(root, "file"), "x");
    await expect(writeOutput({ out: join(root, "file"), files: filesV1, manifest: manifestFor("h") })).rejects.toThrow(
      /exists and is not a folder/,
    );
  });
});

describe("writeOutput guards", () => {
  it("refuses to take over a folder with subfolders it did not write", async () => {
    await mkdir(join(out, "src"), { recursive: true });
    await writeFile(join(out, "src", "index.ts"), "keep me\n");
    await expect(writeOutput({ out, files: filesV1, manifest: manifestFor("h") })).rejects.toThrow(
      /generated: holds folders kubetyped did not write \(no manifest\.json\)/,
    );
    expect(await listTree(out)).toEqual(["src/index.ts"]);
  });
});
