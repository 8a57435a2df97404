// The write tests' shared setup: a fresh temp folder per test, with `generated/` in it as the output folder.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";

/** Registers the hooks; the returned folders are set before each test and removed after it. */
export function useTempOutput(prefix: string): { readonly root: string; readonly out: string } {
  const folders = { root: "", out: "" };
  beforeEach(async () => {
    folders.root = await mkdtemp(join(tmpdir(), prefix));
    folders.out = join(folders.root, "generated");
  });
  afterEach(async () => {
    await rm(folders.root, { recursive: true, force: true });
  });
  return folders;
}
