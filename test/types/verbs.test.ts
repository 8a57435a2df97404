import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { RUNTIME_PATHS } from "../corpus/support/typecheck.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const typesDir = fileURLToPath(new URL("./", import.meta.url));
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

/** Runs the repo's TypeScript; answers its diagnostics (empty when the project compiles). */
async function typecheck(project: string): Promise<string> {
  try {
    await run(process.execPath, [tsc, "--noEmit", "--pretty", "false", "-p", project], { cwd: root });
    return "";
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ""}${stderr ?? ""}`;
  }
}

describe("verb-limited client types", () => {
  it("compiles test/types, where every @ts-expect-error marks a real error", async () => {
    expect(await typecheck(join(typesDir, "tsconfig.json"))).toBe("");
  });

  it("reports an error on exactly the lines marked @ts-expect-error once the markers are removed", async () => {
    const source = await readFile(join(typesDir, "verbs.ts"), "utf8");
    const lines = source.split("\n");
    const expected = new Set<number>();
    const unmarked = lines.map((line, index) => {
      if (!line.trim().startsWith("// @ts-expect-error")) return line;
      expected.add(index + 2); // the marked statement is on the next line (1-based)
      return "//";
    });
    expect(expected.size).toBeGreaterThanOrEqual(15);
    const dir = await mkdtemp(join(tmpdir(), "kubetyped-types-"));
    try {
      const fixtures = join(typesDir, "fixtures.js");
      await writeFile(join(dir, "misuse.ts"), unmarked.join("\n").replace('"./fixtures.js"', JSON.stringify(fixtures)));
      await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
      await writeFile(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          extends: join(root, "tsconfig.json"),
          compilerOptions: { noEmit: true, typeRoots: [join(root, "node_modules", "@types")], paths: RUNTIME_PATHS },
          files: [join(dir, "misuse.ts")],
          include: [],
        }),
      );
      const output = await typecheck(join(dir, "tsconfig.json"));
      const reported = new Set<number>();
      for (const match of output.matchAll(/misuse\.ts\((\d+),\d+\): error TS\d+/g)) reported.add(Number(match[1]));
      expect(output).not.toMatch(/^(?!.*misuse\.ts).*error TS/m);
      expect([...reported].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
