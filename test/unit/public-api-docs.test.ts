import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Node, Project } from "ts-morph";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

function publicExports() {
  const project = new Project({ tsConfigFilePath: `${root}tsconfig.json`, skipAddingFilesFromTsConfig: true });
  const entry = project.addSourceFileAtPath(`${root}runtime/index.ts`);
  project.resolveSourceFileDependencies();
  return entry.getExportedDeclarations();
}

describe("public runtime API", () => {
  const exported = publicExports();

  it("is exactly the names listed in test/unit/public-api.txt, so making something public is a decision", () => {
    const listed = readFileSync(`${root}test/unit/public-api.txt`, "utf8").split("\n").filter((line) => line !== "");
    expect([...exported.keys()].sort()).toEqual(listed);
    // Internals that used to leak: building blocks of the clients, wire codecs, and version plumbing.
    for (const internal of ["createResourceClient", "createNonResourceApi", "buildRequest", "encodeChannelMessage", "buildExecQuery", "resumingWatch", "assertRuntimeCompatible"]) {
      expect(exported.has(internal), internal).toBe(false);
    }
  });

  it("every export of kubetyped/runtime carries TSDoc", () => {
    const undocumented: string[] = [];
    for (const [name, declarations] of exported) {
      for (const declaration of declarations) {
        const documented = Node.isVariableDeclaration(declaration) ? declaration.getVariableStatement() : declaration;
        if (!Node.isJSDocable(documented) || documented.getJsDocs().length === 0) {
          undocumented.push(`${name} (${declaration.getSourceFile().getFilePath().slice(root.length)}:${declaration.getStartLineNumber()})`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });
});
