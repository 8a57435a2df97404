import { spawnSync } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../generator/sources/canonical-json.js";
import { recoverInterruptedSwap } from "../../../generator/write/tree.js";
import { makeTempDir } from "../../support/tmp.js";

/** A pid that certainly belongs to no running process: one that has just exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

async function tree(dir: string, marker: string): Promise<void> {
  await mkdir(join(dir, "core"), { recursive: true });
  await writeFile(join(dir, "core", "v1.ts"), marker);
}

describe("recoverInterruptedSwap", () => {
  it("restores the old tree when a run was killed between moving it aside and moving the new one in", async () => {
    const root = await makeTempDir("recover-missing");
    const out = join(root, "generated");
    const dead = deadPid();
    await tree(`${out}.bak-${dead}`, "old");
    await tree(`${out}.tmp-${dead}`, "new, complete or not");

    const done = await recoverInterruptedSwap(out);
    expect(done).toHaveLength(2);
    expect(await readFile(join(out, "core", "v1.ts"), "utf8")).toBe("old");
    expect(await readdir(root)).toEqual(["generated"]);
  });

  it("removes a dead run's backup once the new tree is in place, and leaves live runs' folders alone", async () => {
    const root = await makeTempDir("recover-present");
    const out = join(root, "generated");
    await tree(out, "new");
    await tree(`${out}.bak-${deadPid()}`, "old");
    await tree(`${out}.tmp-${process.pid}`, "ours, in progress");
    await tree(join(root, "generated.bak-notapid"), "not ours");

    await recoverInterruptedSwap(out);
    expect(await readFile(join(out, "core", "v1.ts"), "utf8")).toBe("new");
    expect((await readdir(root)).sort()).toEqual(["generated", "generated.bak-notapid", `generated.tmp-${process.pid}`]);
  });
});

describe("canonicalJson", () => {
  it("keeps a __proto__ key as data", () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"x":1},"a":2}') as unknown;
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":1},"a":2,"b":1}');
  });
});
