// Server-chosen text (field names, group names, /version, document bytes) must never reach the terminal raw.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main, type CliIo } from "../../generator/cli/main.js";
import { printable } from "../../runtime/core/printable.js";
import { makeTempDir } from "../support/tmp.js";
import { kindSchema, type ResourceSpec } from "./support/documents.js";
import { writeSnapshotFolder } from "./support/snapshot-folder.js";

/** Sets the window title, clears the screen, homes the cursor, returns the carriage, CSI in one byte, bidi override, DEL. */
const HOSTILE = "\u001b]0;owned title\u0007\u001b[2J\u001b[H\rforged line\u009b31m\u202eevil\u007f";
/** Anything a terminal would act on rather than show. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const widget: ResourceSpec = { group: "hostile.example.com", version: "v1", kind: "Widget", plural: "widgets", schemaKey: "com.example.hostile.v1.Widget" };
const gone: ResourceSpec = { group: "gone.example.com", version: "v1", kind: "Gadget", plural: "gadgets", schemaKey: "com.example.gone.v1.Gadget" };
const unlisted: ResourceSpec = { group: `unlisted${HOSTILE}.example.com`, version: "v1", kind: "Thing", plural: "things" };
const schemaKey = (resource: ResourceSpec) => resource.schemaKey!;

function captureIo(options: { color?: boolean; tty?: boolean } = {}): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    env: {},
    stderrIsTty: options.tty ?? false,
    color: options.color ?? false,
    columns: 200,
  };
  return io;
}

/** The output less what the CLI itself writes on a terminal: its colours and the live progress line's erase. */
function withoutOwnSequences(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[(?:3[123]|0)m/g, "").replace(/\r\u001b\[2K/g, "");
}

function expectNoRawControl(io: { out: string; err: string }): void {
  for (const [stream, text] of [["stdout", io.out], ["stderr", io.err]] as const) {
    const found = RAW_CONTROL.exec(withoutOwnSequences(text));
    expect(found, `${stream} holds a raw ${JSON.stringify(found?.[0])} in:\n${JSON.stringify(text)}`).toBeNull();
  }
}

describe.sequential("every CLI output escapes server-chosen text", () => {
  let root = "";
  let before = "";
  let after = "";
  let broken = "";
  let out = "";

  beforeAll(async () => {
    root = await makeTempDir("terminal-output-");
    before = path.join(root, "before");
    after = path.join(root, "after");
    broken = path.join(root, "broken");
    out = path.join(root, "project", "generated");
    const plain = { [schemaKey(widget)]: kindSchema(widget, { spec: { type: "object", properties: { size: { type: "integer" } } } }) };
    const hostileFields = {
      [schemaKey(widget)]: kindSchema(widget, {
        spec: { type: "object", properties: { size: { type: "string" }, [`field${HOSTILE}`]: { type: "string" }, "cr\rname": { type: "boolean" } } },
        [HOSTILE]: { type: "integer" },
      }),
    };
    const gadget = { [schemaKey(gone)]: kindSchema(gone) };
    await writeSnapshotFolder(before, {
      gitVersion: `v1.30.0${HOSTILE}`,
      groupVersions: [{ resources: [widget], schemas: plain }, { resources: [gone], schemas: gadget }],
    });
    await writeSnapshotFolder(after, {
      gitVersion: `v1.31.0${HOSTILE}`,
      groupVersions: [
        { resources: [widget], schemas: hostileFields },
        { resources: [unlisted], schemas: {}, unlisted: true },
      ],
    });
    await writeSnapshotFolder(broken, {
      gitVersion: "v1.31.0",
      groupVersions: [{ resources: [widget], schemas: {}, rawDocument: `${HOSTILE} not JSON` }],
    });
  });

  it("generate: progress, warnings, the change report and the final `wrote` line", async () => {
    for (const options of [{}, { color: true, tty: true }]) {
      const first = captureIo(options);
      expect(await main(["generate", "--from", before, "--out", out], first)).toBe(0);
      expect(first.out).toContain(printable(HOSTILE));
      expectNoRawControl(first);
      const second = captureIo(options);
      expect(await main(["generate", "--from", after, "--out", out], second)).toBe(0);
      expect(second.out).toContain(`field${printable(HOSTILE)}`);
      expect(second.err).toContain(`unlisted${printable(HOSTILE)}`);
      expectNoRawControl(second);
      const drift = captureIo(options);
      expect(await main(["generate", "--check", "--from", before, "--out", out], drift)).toBe(3);
      expectNoRawControl(drift);
      expect(await main(["generate", "--from", before, "--out", out], captureIo())).toBe(0);
    }
  });

  it("diff, as text and as JSON", async () => {
    const text = captureIo({ color: true });
    expect(await main(["diff", "--from", before, "--to", after], text)).toBe(0);
    expect(text.out).toContain("cr\\u000dname");
    expectNoRawControl(text);
    const json = captureIo();
    expect(await main(["diff", "--from", before, "--to", after, "--json"], json)).toBe(0);
    expectNoRawControl(json);
    expect(JSON.stringify(JSON.parse(json.out))).toContain(JSON.stringify(`field${HOSTILE}`).slice(1, -1));
  });

  it("check: the verdict per target and the causes", async () => {
    expect(await main(["generate", "--from", before, "--out", out], captureIo())).toBe(0);
    const project = path.dirname(out);
    await mkdir(path.join(project, "src"), { recursive: true });
    await writeFile(path.join(project, "src", "main.ts"), 'import { gadgets } from "../generated/gone.example.com/v1.js";\nexport const used = gadgets;\n');
    const tsconfig = path.join(project, "tsconfig.json");
    await writeFile(tsconfig, JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", noEmit: true, skipLibCheck: true }, include: ["src"] }));
    const io = captureIo();
    expect(await main(["check", "--against", after, "--out", out, "--project", tsconfig], io)).toBe(3);
    expect(io.out).toContain(printable(HOSTILE));
    expectNoRawControl(io);
  });

  it("errors: a document that is not JSON, quoted in the message", async () => {
    const io = captureIo();
    expect(await main(["generate", "--from", broken, "--out", path.join(root, "never")], io)).toBe(1);
    expect(io.err).toMatch(/^error: .*not JSON|^error: .*expected a JSON document/m);
    expectNoRawControl(io);
  });
});
