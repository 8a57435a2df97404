// `kubetyped check` must refuse a project whose tsconfig it cannot read whole, not call it compatible.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../generator/cli/main.js";
import { captureIo } from "../../support/cli-io.js";
import { makeTempDir } from "../../support/tmp.js";
import { documentFile, groupVersionDocument, kindSchema, writeDocuments, type ResourceSpec } from "../../hardening/support/documents.js";

const widget: ResourceSpec = { group: "example.com", version: "v1", kind: "Widget", plural: "widgets" };

describe("kubetyped check with a broken tsconfig", () => {
  let project = "";
  let api = "";

  beforeAll(async () => {
    project = await makeTempDir("check-config-");
    api = path.join(project, "api");
    await writeDocuments(api, { [documentFile("example.com", "v1")]: groupVersionDocument([widget], { "com.example.v1.Widget": kindSchema(widget) }) });
    expect(await main(["generate", "--from", api, "--out", path.join(project, "generated")], captureIo())).toBe(0);
    await mkdir(path.join(project, "src"), { recursive: true });
    await writeFile(path.join(project, "src", "main.ts"), 'import { widgets } from "../generated/example.com/v1.js";\nexport const used = widgets;\n');
  });

  for (const [name, text] of [
    ["truncated", '{ "compilerOptions": { "strict": true, "module": "nodenext",'],
    ["with an unknown option", '{ "compilerOptions": { "strictt": true }, "include": ["src"] }'],
  ] as const) {
    it(`${name}: exit 1, naming the file and what is wrong`, async () => {
      const tsconfig = path.join(project, `tsconfig.${name.replace(/ /g, "-")}.json`);
      await writeFile(tsconfig, text);
      const io = captureIo();
      const code = await main(["check", "--against", api, "--out", path.join(project, "generated"), "--project", tsconfig], io);
      expect({ code, out: io.out }).toEqual({ code: 1, out: "" });
      expect(io.err).toContain(`error: ${tsconfig}: `);
      expect(io.err).toMatch(name === "truncated" ? /expected/i : /strictt/);
    });
  }
});
