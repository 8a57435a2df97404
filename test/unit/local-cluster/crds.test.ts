import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCrdFile } from "../../../local-cluster/crds.js";
import { makeTempDir } from "../../support/tmp.js";

describe("readCrdFile", () => {
  it("reads the named CustomResourceDefinitions of a multi-document file and skips other kinds", async () => {
    const file = join(await makeTempDir("crds-"), "crds.yaml");
    await writeFile(file, "kind: Namespace\nmetadata: {name: x}\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.demo.dev\n");
    expect((await readCrdFile(file)).map((crd) => crd.metadata.name)).toEqual(["widgets.demo.dev"]);
  });

  it("refuses a CustomResourceDefinition without metadata.name (apply addresses it by name), naming the file", async () => {
    const file = join(await makeTempDir("crds-"), "unnamed.yaml");
    await writeFile(file, "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: {group: demo.dev}\n");
    await expect(readCrdFile(file)).rejects.toThrow(/unnamed\.yaml: a CustomResourceDefinition without metadata\.name; name it <plural>\.<group>/);
  });
});
