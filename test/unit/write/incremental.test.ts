import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { Buffer } from "node:buffer";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listTree, readManifest, serializeManifest, treeMatchesManifest, writeOutput, type Manifest } from "../../../generator/write/index.js";

let root: string;
let out: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "kubetyped-incremental-"));
  out = join(root, "generated");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const manifest: Omit<Manifest, "files" | "fileHashes"> = {
  generator: "kubetyped",
  generatorVersion: "9.9.9",
  runtimeVersion: "^9.9.9",
  openapi: "v3",
  sourceHashes: { "batch/v1": "B1", "core/v1": "C1" },
  skipped: [],
};

const files = [
  { path: "batch/v1.ts", content: "export interface Job {\n  spec?: number;\n}\n" },
  { path: "core/v1.ts", content: "export type Pod = { name: string };\n" },
  { path: "index.ts", content: 'export * as batchV1 from "./batch/v1.js";\n' },
];

async function tree(folder: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const path of await listTree(folder)) entries[path] = await readFile(join(folder, path), "utf8");
  return entries;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const longAgo = new Date("2001-02-03T04:05:06Z");

describe("incremental writes", () => {
  it("records the hash of what was written for each file", async () => {
    await writeOutput({ out, files, manifest });
    const written = (await readManifest(out))!;
    for (const path of ["batch/v1.ts", "core/v1.ts", "index.ts"]) {
      expect(written.fileHashes?.[path]).toEqual({ written: sha256(await readFile(join(out, path), "utf8")) });
    }
    const again = join(root, "again");
    await writeOutput({ out: again, files, manifest });
    expect((await readManifest(again))!.fileHashes).toEqual(written.fileHashes);
  });

  it("counts the files carried over unchanged, and the tree equals a full regeneration", async () => {
    await writeOutput({ out, files, manifest });
    const changed = [{ path: "batch/v1.ts", content: "export interface Job {\n  spec?: string;\n}\n" }, ...files.slice(1)];
    const incremental = await writeOutput({ out, files: changed, manifest: { ...manifest, sourceHashes: { "batch/v1": "B2", "core/v1": "C1" } } });
    expect(incremental.reused).toBe(2);
    expect(incremental.changes.map((change) => change.path)).toEqual(["batch/v1.ts", "manifest.json"]);

    const full = join(root, "full");
    const fresh = await writeOutput({ out: full, files: changed, manifest: { ...manifest, sourceHashes: { "batch/v1": "B2", "core/v1": "C1" } } });
    expect(fresh.reused).toBe(0);
    expect(await tree(out)).toEqual(await tree(full));
  });

  it("keeps the timestamps of unchanged files and rewrites only the changed ones", async () => {
    await writeOutput({ out, files, manifest });
    for (const path of ["batch/v1.ts", "core/v1.ts", "index.ts"]) await utimes(join(out, path), longAgo, longAgo);
    await writeOutput({ out, files: [{ path: "batch/v1.ts", content: "export interface Job {}\n" }, ...files.slice(1)], manifest });
    expect((await stat(join(out, "core/v1.ts"))).mtime.getTime()).toBe(longAgo.getTime());
    expect((await stat(join(out, "index.ts"))).mtime.getTime()).toBe(longAgo.getTime());
    expect((await stat(join(out, "batch/v1.ts"))).mtime.getTime()).not.toBe(longAgo.getTime());
  });

  it("writes again a file edited by hand since, instead of keeping the edit", async () => {
    await writeOutput({ out, files, manifest });
    const original = await readFile(join(out, "core/v1.ts"), "utf8");
    await writeFile(join(out, "core/v1.ts"), "export type Pod = { name: number };\n");
    const result = await writeOutput({ out, files, manifest });
    expect(result.reused).toBe(2);
    expect(result.changes).toEqual([{ path: "core/v1.ts", change: "changed" }]);
    expect(await readFile(join(out, "core/v1.ts"), "utf8")).toBe(original);
  });

  it("tells whether a folder is still exactly what its manifest says was written", async () => {
    await writeOutput({ out, files, manifest });
    const written = (await readManifest(out))!;
    expect(await treeMatchesManifest(out, written)).toBe(true);
    await writeFile(join(out, "index.ts"), "// edited\n");
    expect(await treeMatchesManifest(out, written)).toBe(false);
    await rm(join(out, "index.ts"));
    expect(await treeMatchesManifest(out, written)).toBe(false);
    const { fileHashes: _dropped, ...older } = written;
    expect(await treeMatchesManifest(out, older)).toBe(false);
  });

  it("notices an edit of the manifest, even one keeping it canonical JSON, and judges an older generator's by the same rule", async () => {
    await writeOutput({ out, files, manifest });
    const written = (await readManifest(out))!;
    const text = await readFile(join(out, "manifest.json"), "utf8");
    const edited = text.replace('"core/v1": "C1"', '"core/v1": "C9"');
    expect(edited).not.toBe(text);
    await writeFile(join(out, "manifest.json"), edited);
    expect(await treeMatchesManifest(out, written)).toBe(false);
    await writeFile(join(out, "manifest.json"), text);
    expect(await treeMatchesManifest(out, written)).toBe(true);
    // An older generator's manifest (its summary and self-hash inside) is exactly the canonical form of what it holds.
    const older = { ...written, summary: { groupVersions: {} }, manifestHash: "0".repeat(64) };
    await writeFile(join(out, "manifest.json"), serializeManifest(older));
    expect(await treeMatchesManifest(out, older)).toBe(true);
    await writeFile(join(out, "manifest.json"), `${serializeManifest(older).slice(0, -1)} \n`);
    expect(await treeMatchesManifest(out, older)).toBe(false);
  });

  it("writes the manifest as its canonical form, also after text that is not ASCII", async () => {
    const named = { ...manifest, clusterVersion: "v1.35.0-ünïcødé😀" };
    await writeOutput({ out, files: [...files, { path: "grüße/v1.ts", content: "export {};\n" }], manifest: named });
    const written = (await readManifest(out))!;
    expect(await readFile(join(out, "manifest.json"), "utf8")).toBe(serializeManifest(written));
    expect(await treeMatchesManifest(out, written)).toBe(true);
  });

  it("checks and rewrites a manifest edited by hand even when the edit keeps the recorded hash", async () => {
    await writeOutput({ out, files, manifest });
    const text = await readFile(join(out, "manifest.json"), "utf8");
    await writeFile(join(out, "manifest.json"), text.replace('"core/v1": "C1"', '"core/v1": "C9"'));
    const checked = await writeOutput({ out, files, manifest, check: true });
    expect(checked).toMatchObject({ changes: [{ path: "manifest.json", change: "changed" }], written: false });
    const rewritten = await writeOutput({ out, files, manifest });
    expect(rewritten).toMatchObject({ changes: [{ path: "manifest.json", change: "changed" }], written: true, reused: 3 });
    expect(await readFile(join(out, "manifest.json"), "utf8")).toBe(text);
    expect(await writeOutput({ out, files, manifest, check: true })).toMatchObject({ changes: [], written: false });
  });

  it("rewrites a file whose bytes differ even where they decode to the same text", async () => {
    await writeOutput({ out, files: [{ path: "core/v1.ts", content: "// \uFFFD\n" }], manifest });
    // An invalid UTF-8 byte decodes to U+FFFD: equal as text, not as bytes.
    await writeFile(join(out, "core/v1.ts"), Buffer.from([0x2f, 0x2f, 0x20, 0xff, 0x0a]));
    const result = await writeOutput({ out, files: [{ path: "core/v1.ts", content: "// \uFFFD\n" }], manifest });
    expect(result.changes).toEqual([{ path: "core/v1.ts", change: "changed" }]);
    expect(await readFile(join(out, "core/v1.ts"), "utf8")).toBe("// \uFFFD\n");
  });

  it("carries unchanged files into the new tree as the very same files, not copies", async () => {
    await writeOutput({ out, files, manifest });
    const before = await stat(join(out, "core/v1.ts"));
    await writeOutput({ out, files: [{ path: "batch/v1.ts", content: "export interface Job {}\n" }, ...files.slice(1)], manifest });
    const after = await stat(join(out, "core/v1.ts"));
    expect([after.ino, after.nlink]).toEqual([before.ino, 1]);
  });

  it("uses the previous manifest the caller passes instead of reading the folder's", async () => {
    await writeOutput({ out, files, manifest });
    await writeFile(join(out, "notes.txt"), "mine\n");
    const owned = (await readManifest(out))!;
    // The caller's manifest claims notes.txt: it is the one that decides what the folder owns.
    const result = await writeOutput({ out, files, manifest, previous: { found: { files: [...owned.files, "notes.txt"] } } });
    expect(result.changes).toEqual([{ path: "notes.txt", change: "removed" }]);
    expect(result.previous).toBeUndefined();
    expect(await listTree(out)).toEqual(["batch/v1.ts", "core/v1.ts", "index.ts", "manifest.json"]);
  });
});
