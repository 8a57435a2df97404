// A user project with `exactOptionalPropertyTypes` compiles against generated modules and the runtime, and may pass
// `undefined` for any option ("not set"), under TypeScript 7 and the oldest 5.x the README names.
import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { emitModules } from "../../generator/emit/index.js";
import { buildModel } from "../../generator/model/index.js";
import { loadSources } from "../../generator/sources/index.js";
import { writeFiles } from "../corpus/support/typecheck.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";
import type { Reported } from "./support/compiler.js";
import { COMPILERS, compileWith, compilerOf, writeUserTsconfig, type Compiler } from "./support/tsc.js";

const consumer = fileURLToPath(new URL("./exact-optional/consumer.check.txt", import.meta.url));

/** The newest compiler the suite has (7.x) and the oldest the README names (5.4.5, `typescript-oldest`). */
const EXACT_COMPILERS: readonly Compiler[] = [COMPILERS.at(-1)!, compilerOf("typescript-oldest")];

/** The 1-based lines of `text` that end in `// error`. */
function markedLines(text: string): number[] {
  return text.split("\n").flatMap((line, index) => (/\/\/ error$/.test(line) ? [index + 1] : []));
}

describeWithSharedData("live/v1.20.2-with-crds", "a user project with exactOptionalPropertyTypes, with modules generated from the 1.20.2 recording", (live) => {
  const reports = new Map<string, Map<string, Reported[]>>();
  let marked: number[];

  beforeAll(async () => {
    const dir = await makeTempDir("exact-optional-");
    await writeFiles(path.join(dir, "gen"), emitModules(buildModel(await loadSources({ from: live }))));
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    await copyFile(consumer, path.join(dir, "consumer.ts"));
    marked = markedLines(await readFile(consumer, "utf8"));
    await writeUserTsconfig(dir, ["consumer.ts"], { exactOptionalPropertyTypes: true });
    for (const compiler of EXACT_COMPILERS) reports.set(compiler.label, await compileWith(compiler, dir));
  }, 300_000);

  for (const compiler of EXACT_COMPILERS) {
    it(`${compiler.label}: options take undefined; generated modules and the runtime compile; objects still refuse undefined`, () => {
      const reported = reports.get(compiler.label)!;
      const consumerErrors = reported.get("consumer.ts") ?? [];
      expect(marked.length).toBeGreaterThanOrEqual(2);
      expect(consumerErrors.filter((diagnostic) => !marked.includes(diagnostic.line)).map((diagnostic) => `line ${diagnostic.line}: ${diagnostic.full}`)).toEqual([]);
      expect(marked.filter((line) => !consumerErrors.some((diagnostic) => diagnostic.line === line)).map((line) => `line ${line}: no error`)).toEqual([]);
      const elsewhere = [...reported.keys()].filter((file) => file !== "consumer.ts");
      expect(elsewhere.map((file) => `${file}: ${reported.get(file)![0]?.full}`)).toEqual([]);
    });
  }
});
