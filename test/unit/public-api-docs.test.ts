import { fileURLToPath } from "node:url";
import { Node, Project } from "ts-morph";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("public runtime API", () => {
  it("every export of kubetyped/runtime carries TSDoc", () => {
    const project = new Project({ tsConfigFilePath: `${root}tsconfig.json`, skipAddingFilesFromTsConfig: true });
    const entry = project.addSourceFileAtPath(`${root}runtime/index.ts`);
    project.resolveSourceFileDependencies();
    const undocumented: string[] = [];
    const exported = entry.getExportedDeclarations();
    for (const [name, declarations] of exported) {
      for (const declaration of declarations) {
        const documented = Node.isVariableDeclaration(declaration) ? declaration.getVariableStatement() : declaration;
        if (!Node.isJSDocable(documented) || documented.getJsDocs().length === 0) {
          undocumented.push(`${name} (${declaration.getSourceFile().getFilePath().slice(root.length)}:${declaration.getStartLineNumber()})`);
        }
      }
    }
    expect(exported.size).toBeGreaterThan(150);
    expect(undocumented).toEqual([]);
  }, 60_000);
});
