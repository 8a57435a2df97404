// What `--from` says about a path that is not a snapshot: the path as it is, never a hint about servers.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../generator/cli/main.js";
import { captureIo } from "../../support/cli-io.js";
import { makeTempDir } from "../../support/tmp.js";

describe("--from a path that is not a snapshot", () => {
  const cases: Array<[string, (dir: string) => Promise<string>, RegExp]> = [
    ["an empty file", async (dir) => { const file = path.join(dir, "snapshot.json"); await writeFile(file, ""); return file; }, /: is a file, not a folder; --from takes a snapshot folder/],
    ["an empty folder", async (dir) => { const folder = path.join(dir, "empty"); await mkdir(folder); return folder; }, /: is an empty folder; --from takes a snapshot folder/],
    ["a folder of something else", async (dir) => { const folder = path.join(dir, "src"); await mkdir(folder); await writeFile(path.join(folder, "main.ts"), ""); return folder; }, /: holds neither a snapshot \(version.json, api.json, apis.json\) nor an OpenAPI v3 folder/],
  ];
  for (const [name, make, expected] of cases) {
    it(`${name}: generate and diff say what the path is`, async () => {
      const dir = await makeTempDir("from-folder-");
      const from = await make(dir);
      for (const argv of [
        ["generate", "--from", from, "--out", path.join(dir, "out")],
        ["diff", "--from", from, "--to", from],
      ]) {
        const io = captureIo();
        expect(await main(argv, io)).toBe(1);
        expect(io.err).not.toMatch(/server URL|may read discovery/);
        expect(io.err).toMatch(argv[0] === "diff" && name === "an empty file" ? /: not a folder; give a snapshot folder/ : expected);
      }
    });
  }
});
