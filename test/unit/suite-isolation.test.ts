// The suite runs every file in one process (vitest `isolate: false`, vitest.config.ts): a file that replaces a
// module, a global, the environment or the clock would change what the files after it test.
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const PROCESS_WIDE = [
  /\bvi\.(mock|doMock|stubEnv|stubGlobal|useFakeTimers)\(/,
  /\bsetGlobalDispatcher\(/,
  /\bprocess\.env(\.\w+|\[[^\]]+\])\s*=[^=]/,
  /\bdelete process\.env\b/,
];

async function testSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".ts")).map((entry) => join(entry.parentPath, entry.name));
}

it("no test file changes modules, globals, the environment or timers for the whole process", async () => {
  const offending: string[] = [];
  for (const file of await testSources(join(root, "test"))) {
    if (file === fileURLToPath(import.meta.url)) continue;
    const lines = (await readFile(file, "utf8")).split("\n");
    lines.forEach((line, index) => {
      if (PROCESS_WIDE.some((pattern) => pattern.test(line))) offending.push(`${relative(root, file)}:${index + 1}: ${line.trim()}`);
    });
  }
  expect(offending, "pass the value to the code under test instead, or run that file in a child process").toEqual([]);
});
