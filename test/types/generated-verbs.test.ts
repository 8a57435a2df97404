import { copyFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { emitModules } from "../../generator/emit/index.js";
import { buildModel } from "../../generator/model/index.js";
import { loadOpenApiV3Folder } from "../../generator/sources/openapi-folder.js";
import { typecheckFolder, writeFiles } from "../corpus/support/typecheck.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";

const checkFile = fileURLToPath(new URL("./generated-verbs.check.txt", import.meta.url));

describeWithSharedData("openapi-v3/1.35", "generated clients allow exactly the verbs discovery lists (compile time)", (dir) => {
  it("accepts the allowed calls and rejects every @ts-expect-error line", async () => {
    const model = buildModel(await loadOpenApiV3Folder(dir), {
      groups: ["batch/v1", "core/v1", "authentication.k8s.io/v1", "rbac.authorization.k8s.io/v1"],
    });
    const out = await makeTempDir("generated-verbs-");
    await writeFiles(path.join(out, "gen"), emitModules(model));
    await copyFile(checkFile, path.join(out, "verb-limits.ts"));
    expect(await typecheckFolder(out)).toBe("");
  }, 120_000);

  it("fails when a limit is not enforced (the check itself can fail)", async () => {
    const model = buildModel(await loadOpenApiV3Folder(dir), { groups: ["batch/v1"] });
    const out = await makeTempDir("generated-verbs-negative-");
    await writeFiles(path.join(out, "gen"), emitModules(model));
    const { writeFile } = await import("node:fs/promises");
    await writeFile(
      path.join(out, "limit.ts"),
      [
        'import type { KubeClient } from "kubetyped/runtime";',
        'import { jobs } from "./gen/batch/v1.js";',
        "declare const kube: KubeClient;",
        "export async function allowed(): Promise<void> {",
        "  // @ts-expect-error jobs/status has get: this directive is unused, so tsc must fail",
        '  await kube.resource(jobs).status.get("pi");',
        "}",
      ].join("\n"),
    );
    expect(await typecheckFolder(out)).toMatch(/TS2578/);
  }, 120_000);
});
