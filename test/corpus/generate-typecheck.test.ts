import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { emitModules } from "../../generator/emit/index.js";
import { buildModel } from "../../generator/model/index.js";
import { loadOpenApiV3Folder } from "../../generator/sources/openapi-folder.js";
import { loadSources } from "../../generator/sources/index.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";
import { typecheckFolder, writeFiles } from "./support/typecheck.js";

/**
 * Every Kubernetes version of the corpus (1.23 … 1.35, OpenAPI v3) and the recorded 1.20.2 server (OpenAPI v2
 * with cert-manager and JobSet CRDs) generates every group/version, and the output type-checks under strict
 * in one tsc program (one folder per version).
 */
describeWithSharedData("", "corpus: every Kubernetes version generates and type-checks", (k8s) => {
  const versions = readdirSync(path.join(k8s, "openapi-v3")).sort();
  let outDir: string;
  const generated: { name: string; files: number; modules: string[] }[] = [];

  beforeAll(async () => {
    outDir = await makeTempDir("corpus-");
    for (const version of versions) {
      const model = buildModel(await loadOpenApiV3Folder(path.join(k8s, "openapi-v3", version)));
      const files = emitModules(model, { generatorVersion: "corpus" });
      await writeFiles(path.join(outDir, `v${version}`), files);
      generated.push({ name: version, files: files.length, modules: files.map((file) => file.path) });
    }
    const model = buildModel(await loadSources({ from: path.join(k8s, "live", "v1.20.2-with-crds") }));
    const files = emitModules(model, { generatorVersion: "corpus" });
    await writeFiles(path.join(outDir, "v1.20.2"), files);
    generated.push({ name: "1.20.2", files: files.length, modules: files.map((file) => file.path) });
  }, 600_000);

  it("generates core, meta and every served group/version of each version", () => {
    expect(generated.map((entry) => entry.name)).toEqual([...versions, "1.20.2"]);
    for (const entry of generated) {
      if (entry.modules.length < 10) console.log(entry.name, entry.modules);
      expect(entry.modules).toEqual(expect.arrayContaining(["core/v1.ts", "meta/v1.ts", "apps/v1.ts", "index.ts"]));
    }
    const crdModules = generated.find((entry) => entry.name === "1.20.2")!.modules;
    expect(crdModules).toEqual(expect.arrayContaining(["cert-manager.io/v1.ts", "acme.cert-manager.io/v1.ts", "batch.x-k8s.io/v1alpha1.ts"]));
  });

  it("type-checks all of it under strict with zero errors", async () => {
    expect(await typecheckFolder(outDir)).toBe("");
  }, 600_000);
});
