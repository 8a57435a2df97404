import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, expect, it } from "vitest";
import { emitModules } from "../../generator/emit/index.js";
import { buildModel } from "../../generator/model/index.js";
import { loadSources } from "../../generator/sources/index.js";
import { writeFiles } from "../corpus/support/typecheck.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";
import { languageService, type Reported } from "./support/compiler.js";
import { descriptorsIn, probeSource, type Probe } from "./support/completions.js";
import { contractProblems, markersOf, MAX_FIRST_MESSAGE, resultsOf } from "./support/mistakes.js";
import { COMPILERS, compileWith, writeUserTsconfig, type Compiler } from "./support/tsc.js";

const corpusDir = fileURLToPath(new URL("./compile-corpus/", import.meta.url));
const readme = fileURLToPath(new URL("../../README.md", import.meta.url));

/** The messages README's "Mistakes the compiler catches" quotes: the `// ...` lines of its first code block. */
async function quotedMessages(): Promise<string[]> {
  const section = (await readFile(readme, "utf8")).split("## Mistakes the compiler catches")[1] ?? "";
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block.split("\n").flatMap((line) => (line.startsWith("// ") ? [line.slice(3)] : []));
}

/**
 * What a person meets at compile time, with modules generated from the recorded 1.20.2 cluster, under each compiler
 * a user may have (TypeScript 5.x and the native 7): each common mistake in compile-corpus/mistakes.check.txt is an
 * error on its own line whose first message names the fix in at most 300 characters, and every program in
 * correct.check.txt compiles. Each compiler's `tsc` runs once over both files, as a user runs it. The editor
 * (a 5.x language service) completes exactly the served verbs.
 * KUBETYPED_SHOW_MESSAGES=1 prints every mistake's first message under each compiler (what the README quotes).
 */
describeWithSharedData("live/v1.20.2-with-crds", "compile-time mistakes and completions, with modules generated from the 1.20.2 recording", (live) => {
  let dir: string;
  let service: ts.LanguageService;
  let probes: Probe[];
  /** Each compiler's diagnostics (by its label), by file name. */
  const reports = new Map<string, Map<string, Reported[]>>();
  const reportedBy = (compiler: Compiler, file: string): Reported[] => reports.get(compiler.label)?.get(file) ?? [];

  beforeAll(async () => {
    dir = await makeTempDir("compile-corpus-");
    const files = emitModules(buildModel(await loadSources({ from: live })));
    await writeFiles(path.join(dir, "gen"), files);
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    for (const name of ["mistakes", "correct", "tool-completions"]) await copyFile(path.join(corpusDir, `${name}.check.txt`), path.join(dir, `${name}.ts`));
    const probe = probeSource(live, descriptorsIn(files));
    await writeFile(path.join(dir, "completions.ts"), probe.text);
    probes = probe.probes;
    service = languageService(["completions.ts", "tool-completions.ts"].map((name) => path.join(dir, name)));
    await writeUserTsconfig(dir, ["mistakes.ts", "correct.ts"]);
    for (const [compiler, reported] of await Promise.all(COMPILERS.map(async (compiler) => [compiler, await compileWith(compiler, dir)] as const))) {
      reports.set(compiler.label, reported);
    }
  }, 300_000);

  for (const compiler of COMPILERS) {
    it(`${compiler.label}: reports each mistake on its own line, with a first message that names the fix in at most 300 characters`, async () => {
      const markers = markersOf(await readFile(path.join(dir, "mistakes.ts"), "utf8"));
      expect(markers.length).toBeGreaterThanOrEqual(40);
      const reported = reportedBy(compiler, "mistakes.ts");
      if (process.env.KUBETYPED_SHOW_MESSAGES) for (const result of resultsOf(markers, reported)) console.log(`${compiler.label} ${result.line} [${result.first.length}] ${result.first}`);
      expect(contractProblems(markers, reported).map((problem) => `${compiler.label}: ${problem}`)).toEqual([]);
      const longest = Math.max(...resultsOf(markers, reported).map((result) => result.first.length));
      expect(longest, `${compiler.label}: the longest first message`).toBeLessThanOrEqual(MAX_FIRST_MESSAGE);
    });

    it(`${compiler.label}: compiles every correct program without an error`, async () => {
      const programs = (await readFile(path.join(dir, "correct.ts"), "utf8")).match(/^export async function \w+/gm) ?? [];
      expect(programs.length).toBeGreaterThanOrEqual(15);
      expect(reportedBy(compiler, "correct.ts").map((diagnostic) => `${compiler.label}: line ${diagnostic.line}: ${diagnostic.full}`)).toEqual([]);
      // Nor anywhere else: the generated modules and the runtime's source the programs import.
      const elsewhere = [...(reports.get(compiler.label)?.keys() ?? [])].filter((file) => file !== "mistakes.ts" && file !== "correct.ts");
      expect(elsewhere.map((file) => `${compiler.label}: ${file}: ${reportedBy(compiler, file)[0]?.full}`)).toEqual([]);
    });
  }

  it("completes exactly the served verbs (and apply, listAll/listPages, subresources, descriptor) on every client", () => {
    const file = path.join(dir, "completions.ts");
    expect(probes.length).toBeGreaterThan(100);
    const wrong = probes.flatMap((probe) => {
      const offered = (service.getCompletionsAtPosition(file, probe.position, {})?.entries ?? []).map((entry) => entry.name).sort();
      return offered.join(",") === probe.expected.join(",") ? [] : [`${probe.label}: offered ${offered.join(",")}; served ${probe.expected.join(",")}`];
    });
    expect(wrong).toEqual([]);
  }, 300_000);

  it("completes what the controller tools take: their options, and the objects their callbacks and answers carry", async () => {
    const file = path.join(dir, "tool-completions.ts");
    const probes = [...(await readFile(file, "utf8")).matchAll(/\/\*complete: (.*?)\*\//g)];
    expect(probes.length).toBeGreaterThanOrEqual(8);
    const wrong = probes.flatMap((probe) => {
      const entries = service.getCompletionsAtPosition(file, probe.index, {})?.entries ?? [];
      const offered = entries.filter((entry) => entry.kind === ts.ScriptElementKind.memberVariableElement || entry.kind === ts.ScriptElementKind.memberFunctionElement);
      const names = offered.map((entry) => entry.name).sort().join(",");
      return names === probe[1] ? [] : [`at "${probe[0]}": offered ${names}`];
    });
    expect(wrong).toEqual([]);
  });

  it(`the README quotes first messages ${COMPILERS[0]!.label} really prints`, async () => {
    const markers = markersOf(await readFile(path.join(dir, "mistakes.ts"), "utf8"));
    const printed = new Set(resultsOf(markers, reportedBy(COMPILERS[0]!, "mistakes.ts")).map((result) => result.first));
    const quoted = await quotedMessages();
    expect(quoted.length).toBeGreaterThanOrEqual(8);
    expect(quoted.filter((message) => !printed.has(message))).toEqual([]);
  });

  it("holds a file to its markers: an unmarked error, a missing error and a wrong phrase are all found", async () => {
    const reported = reportedBy(COMPILERS[0]!, "mistakes.ts");
    const markers = markersOf(await readFile(path.join(dir, "mistakes.ts"), "utf8"));
    const [first, second, ...rest] = markers;
    const problems = contractProblems([{ ...first!, phrase: "no message says this" }, ...rest, { line: 1, phrase: "x" }], reported);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^line ${first!.line}: first message lacks`)),
      expect.stringMatching(/^line 1: no error/),
      expect.stringMatching(new RegExp(`^line ${second!.line}: unexpected error`)),
    ]);
  });
});
