import { execFile } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { typecheckFolder } from "../corpus/support/typecheck.js";
import { makeTempDir } from "../support/tmp.js";
import { hostileCases, PWNED, type HostileCase } from "./support/hostile-cases.js";
import { writeDocuments } from "./support/documents.js";

const run = promisify(execFile);
const CASE_TIMEOUT_MS = 60_000;

interface Outcome {
  case: HostileCase;
  out: string;
  generated: boolean;
  error?: Error;
}

/** Rejects when `promise` has not settled within `ms`: a hang is a failure, not a stuck suite. */
async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms (hang)`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`])),
  );
  return nested.flat().sort();
}

const PREVIOUS_OUTPUT = "previous output: must survive a failed generation\n";

describe.sequential("hostile documents: generate correct code or fail cleanly", () => {
  const outcomes: Outcome[] = [];
  let root = "";

  afterAll(() => {
    const generated = outcomes.filter((outcome) => outcome.generated).length;
    console.log(
      `hostile documents: ${outcomes.length} cases tried, ${generated} generated code, ${outcomes.length - generated} failed cleanly with a pointer`,
    );
  });

  for (const hostile of hostileCases()) {
    it(`${hostile.name}: ${hostile.expect === "generates" ? "generates" : hostile.expect === "fails" ? "fails with a pointer" : "generates or fails with a pointer"}`, async () => {
      root ||= await makeTempDir("hostile-");
      const input = path.join(root, "inputs", hostile.name);
      const out = path.join(root, "cases", hostile.name);
      await writeDocuments(input, hostile.documents());
      await writeDocuments(out, { "README.md": PREVIOUS_OUTPUT });
      const outcome: Outcome = { case: hostile, out, generated: false };
      outcomes.push(outcome);
      try {
        await withDeadline(generate({ from: input, out }), CASE_TIMEOUT_MS, `generating ${hostile.name}`);
        outcome.generated = true;
      } catch (error) {
        outcome.error = error as Error;
      }

      if (outcome.generated) {
        expect(hostile.expect, `${hostile.name} was expected to fail`).not.toBe("fails");
        const files = await listFiles(out);
        expect(files).toContain("index.ts");
        expect(files).toContain("manifest.json");
        expect(files).toContain("README.md");
        for (const file of files.filter((name) => name.endsWith(".ts"))) {
          const text = await readFile(path.join(out, file), "utf8");
          // Line terminators that JavaScript honours but editors may not: never raw in generated source.
          expect(text, `${hostile.name}/${file}`).not.toMatch(/[\u2028\u2029\u0000]/);
        }
        await hostile.checkOutput?.(out);
      } else {
        const error = outcome.error!;
        expect(hostile.expect, `${hostile.name} failed: ${error.stack}`).not.toBe("generates");
        expect(error.message, "the error names the document").toMatch(hostile.errorNames ?? /openapi\/v3 |\.json/);
        if (!hostile.noPointer) {
          expect(["ModelError", "SourceError"], `${hostile.name}: ${error.stack}`).toContain(error.name);
          expect(error.message, "the error names the JSON pointer").toMatch(/#\//);
          expect((error as { pointer?: string }).pointer).toMatch(/^#\//);
        }
        // The previous output is untouched and no staging folder is left beside it.
        expect(await listFiles(out)).toEqual(["README.md"]);
        expect(await readFile(path.join(out, "README.md"), "utf8")).toBe(PREVIOUS_OUTPUT);
      }
      const siblings = await readdir(path.dirname(out));
      expect(siblings.filter((name) => name.startsWith(`${hostile.name}.`))).toEqual([]);
    }, CASE_TIMEOUT_MS + 30_000);
  }

  it("every generated case type-checks under strict (one program)", async () => {
    expect(outcomes.some((outcome) => outcome.generated)).toBe(true);
    const diagnostics = await typecheckFolder(path.join(root, "cases"));
    expect(diagnostics).toBe("");
  }, 300_000);

  it("importing every generated case runs no injected code", async () => {
    const generated = outcomes.filter((outcome) => outcome.generated);
    const stub = path.join(root, "runtime-stub.mjs");
    // The runtime's defineResource is an identity on the descriptor; a stub keeps the child free of the TS source.
    await writeFile(stub, "export const defineResource = () => (descriptor) => Object.freeze(descriptor);\n");
    for (const outcome of generated) {
      for (const file of (await listFiles(outcome.out)).filter((name) => name.endsWith(".ts"))) {
        const source = await readFile(path.join(outcome.out, file), "utf8");
        const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText;
        await writeFile(path.join(outcome.out, file.replace(/\.ts$/, ".js")), js.replaceAll('"kubetyped/runtime/plumbing"', JSON.stringify(pathToFileURL(stub).href)));
      }
    }
    const entries = generated.map((outcome) => pathToFileURL(path.join(outcome.out, "index.js")).href);
    const script = [
      `globalThis.${PWNED} = false;`,
      `const loaded = {};`,
      `for (const entry of ${JSON.stringify(entries)}) loaded[entry] = await import(entry);`,
      `const descriptors = [];`,
      `for (const module of Object.values(loaded)) for (const ns of Object.values(module)) for (const value of Object.values(ns)) if (value && typeof value === "object" && "plural" in value) descriptors.push({ plural: value.plural, kind: value.kind, group: value.group });`,
      `console.log(JSON.stringify({ pwned: globalThis.${PWNED}, modules: Object.keys(loaded).length, descriptors }));`,
    ].join("\n");
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
    const report = JSON.parse(stdout.trim().split("\n").at(-1)!) as { pwned: boolean; modules: number; descriptors: { plural: string; kind: string; group: string }[] };
    expect(report.pwned).toBe(false);
    expect(report.modules).toBe(generated.length);
    // Hostile strings reach the descriptors as data, byte for byte.
    for (const outcome of generated) {
      for (const expected of outcome.case.descriptors ?? []) expect(report.descriptors).toContainEqual(expected);
    }
  }, 180_000);
});
