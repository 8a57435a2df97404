// `kubetyped check` must refuse a project whose tsconfig it cannot read whole, not call it compatible.
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../generator/cli/main.js";
import { captureIo } from "../../support/cli-io.js";
import { makeTempDir } from "../../support/tmp.js";
import { documentFile, groupVersionDocument, kindSchema, writeDocuments, type ResourceSpec } from "../../hardening/support/documents.js";

const widget: ResourceSpec = { group: "example.com", version: "v1", kind: "Widget", plural: "widgets" };

describe("kubetyped check with a broken tsconfig", () => {
  let project = "";
  let project7 = "";
  let api = "";

  beforeAll(async () => {
    project = await makeTempDir("check-config-");
    api = path.join(project, "api");
    await writeDocuments(api, { [documentFile("example.com", "v1")]: groupVersionDocument([widget], { "com.example.v1.Widget": kindSchema(widget) }) });
    expect(await main(["generate", "--from", api, "--out", path.join(project, "generated")], captureIo())).toBe(0);
    await mkdir(path.join(project, "src"), { recursive: true });
    await writeFile(path.join(project, "src", "main.ts"), 'import { widgets } from "../generated/example.com/v1.js";\nexport const used = widgets;\n');
    // The same project with TypeScript 7 as its `typescript`: check drives its tsc, which reports config errors as it reports any.
    project7 = path.join(project, "ts7");
    await mkdir(path.join(project7, "node_modules"), { recursive: true });
    await symlink(path.resolve("node_modules", "typescript7"), path.join(project7, "node_modules", "typescript"), "dir");
  });

  const configs = [
    ["truncated", '{ "compilerOptions": { "strict": true, "module": "nodenext",'],
    ["with an unknown option", '{ "compilerOptions": { "strictt": true }, "include": ["src"] }'],
  ] as const;
  const compilers = ["its compiler API (the bundled TypeScript)", "its own tsc (TypeScript 7, no compiler API)"];
  for (const [compiler, [name, text]] of compilers.flatMap((compiler) => configs.map((config) => [compiler, config] as const))) {
    it(`${name}, checked with ${compiler}: exit 1, naming the file and what is wrong`, async () => {
      const tsconfig = path.join(compiler.includes("tsc") ? project7 : project, `tsconfig.${name.replace(/ /g, "-")}.json`);
      await writeFile(tsconfig, text);
      const io = captureIo();
      const code = await main(["check", "--against", api, "--out", path.join(project, "generated"), "--project", tsconfig], io);
      expect({ code, out: io.out }).toEqual({ code: 1, out: "" });
      expect(io.err).toContain(`error: ${tsconfig}: `);
      expect(io.err).toMatch(name === "truncated" ? /line 1: .*expected/i : /strictt/);
    });
  }
});
