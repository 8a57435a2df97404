import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Node, Project, type ExportedDeclarations } from "ts-morph";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Each entry point of package.json `exports` under `kubetyped/runtime`: its source, and the list of its names. */
const ENTRIES = [
  { specifier: "kubetyped/runtime", source: "runtime/index.ts", list: "test/unit/public-api.txt" },
  { specifier: "kubetyped/runtime/controller", source: "runtime/entries/controller.ts", list: "test/unit/public-api-controller.txt" },
  { specifier: "kubetyped/runtime/streams", source: "runtime/entries/streams.ts", list: "test/unit/public-api-streams.txt" },
  { specifier: "kubetyped/runtime/validate", source: "runtime/entries/validate.ts", list: "test/unit/public-api-validate.txt" },
  { specifier: "kubetyped/runtime/plumbing", source: "runtime/entries/plumbing.ts", list: "test/unit/public-api-plumbing.txt" },
] as const;

/** The front door lists what everyday code names; a user reads it in one sitting. */
const FRONT_DOOR_LIMIT = 80;

const project = new Project({ tsConfigFilePath: `${root}tsconfig.json`, skipAddingFilesFromTsConfig: true });

function publicExports(source: string): ReadonlyMap<string, ExportedDeclarations[]> {
  const entry = project.addSourceFileAtPath(`${root}${source}`);
  project.resolveSourceFileDependencies();
  return entry.getExportedDeclarations();
}

function undocumented(exported: ReadonlyMap<string, ExportedDeclarations[]>): string[] {
  const missing: string[] = [];
  for (const [name, declarations] of exported) {
    for (const declaration of declarations) {
      const documented = Node.isVariableDeclaration(declaration) ? declaration.getVariableStatement() : declaration;
      if (!Node.isJSDocable(documented) || documented.getJsDocs().length === 0) {
        missing.push(`${name} (${declaration.getSourceFile().getFilePath().slice(root.length)}:${declaration.getStartLineNumber()})`);
      }
    }
  }
  return missing;
}

const exportsOf = new Map(ENTRIES.map((entry) => [entry.specifier, publicExports(entry.source)]));

describe.each(ENTRIES)("public runtime API: $specifier", ({ specifier, source, list }) => {
  const exported = exportsOf.get(specifier)!;

  it(`is exactly the names listed in ${list}, so making something public is a decision`, () => {
    const listed = readFileSync(`${root}${list}`, "utf8").split("\n").filter((line) => line !== "");
    expect(listed, `${list} is sorted`).toEqual([...listed].sort());
    expect([...exported.keys()].sort()).toEqual(listed);
  });

  it(`every export of ${specifier} carries TSDoc`, () => {
    expect(undocumented(exported)).toEqual([]);
  });

  it(`package.json exports ${specifier} from the build of ${source} (its bundle, and its declarations beside the per-file build)`, () => {
    const manifest = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { exports: Record<string, { types: string; default: string }> };
    const name = source.replace(/^runtime\//, "").replace(/\.ts$/, "");
    expect(manifest.exports[`.${specifier.slice("kubetyped".length)}`]).toEqual({ types: `./dist/runtime/${name}.d.ts`, default: `./dist/runtime-bundle/${name}.js` });
  });
});

describe("the runtime's entry points together", () => {
  it(`keep the front door to at most ${FRONT_DOOR_LIMIT} names`, () => {
    expect(exportsOf.get("kubetyped/runtime")!.size).toBeLessThanOrEqual(FRONT_DOOR_LIMIT);
  });

  it("give each name one home", () => {
    const homes = new Map<string, string[]>();
    for (const [specifier, exported] of exportsOf) for (const name of exported.keys()) homes.set(name, [...(homes.get(name) ?? []), specifier]);
    expect([...homes].filter(([, where]) => where.length > 1)).toEqual([]);
  });

  it("leak no internals: building blocks of the clients, wire codecs, version plumbing, one class per Status reason", () => {
    const internals = ["createResourceClient", "createNonResourceApi", "buildRequest", "encodeChannelMessage", "buildExecQuery", "resumingWatch", "assertRuntimeCompatible"];
    const perReason = ["NotFoundError", "ConflictError", "AlreadyExistsError", "ForbiddenError", "UnauthorizedError", "GoneError", "InvalidError", "TooManyRequestsError"];
    for (const exported of exportsOf.values()) for (const name of [...internals, ...perReason]) expect(exported.has(name), name).toBe(false);
  });

  it("has every package.json export under ./runtime backed by an entry this test reads", () => {
    const manifest = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { exports: Record<string, unknown> };
    const runtimeExports = Object.keys(manifest.exports).filter((key) => key === "./runtime" || key.startsWith("./runtime/"));
    expect(runtimeExports).toEqual(ENTRIES.map((entry) => `.${entry.specifier.slice("kubetyped".length)}`));
  });
});
