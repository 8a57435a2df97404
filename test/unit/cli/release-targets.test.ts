// A release's OpenAPI folder describes the built-in API only: the user's CRD groups are carried over, not reported as gone.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { RUNTIME_PATHS } from "../../corpus/support/typecheck.js";
import { main } from "../../../generator/cli/main.js";
import { captureIo } from "../../support/cli-io.js";
import { describeWithSharedData, sharedK8sPath } from "../../support/shared-data.js";
import { makeTempDir } from "../../support/tmp.js";
import { readTree } from "../../support/cli-io.js";

const PROGRAM = `import { certificates } from "../generated/cert-manager.io/v1.js";
import { jobs } from "../generated/batch/v1.js";
export const used = [certificates.plural, jobs.plural];
`;

describeWithSharedData("live/v1.20.2-with-crds", "release folders and the user's CRD groups", (cluster) => {
  const release = sharedK8sPath("openapi-v3", "1.25");
  let root = "";
  let out = "";
  let tsconfig = "";

  beforeAll(async () => {
    root = await makeTempDir("release-targets-");
    out = path.join(root, "generated");
    expect(await main(["generate", "--from", cluster, "--groups", "batch,cert-manager.io", "--out", out], captureIo())).toBe(0);
    await mkdir(path.join(root, "src"), { recursive: true });
    await writeFile(path.join(root, "src", "main.ts"), PROGRAM);
    await writeFile(path.join(root, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    tsconfig = path.join(root, "tsconfig.json");
    await writeFile(tsconfig, JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, module: "node16", moduleResolution: "node16", target: "ES2022", paths: RUNTIME_PATHS }, include: ["src"] }));
  });

  it("generate --from <cluster> --from <release folder> keeps the cluster's CRD groups and says so; --strict-targets does not", async () => {
    const both = path.join(root, "both");
    const io = captureIo();
    expect(await main(["generate", "--from", cluster, "--from", release, "--groups", "batch,cert-manager.io", "--out", both], io), io.err).toBe(0);
    const files = Object.keys(await readTree(both));
    expect(files).toContain("cert-manager.io/v1.ts");
    expect(files).toContain("batch/v1.ts");
    expect(files).not.toContain("batch/v1beta1.ts"); // a built-in version 1.25 removed stays removed
    expect(io.out).toMatch(/^carried   cert-manager\.io\/v1 into .*1\.25 from v1\.20\.2 \(a release folder describes built-in groups only; --strict-targets leaves them out\)$/m);
    const strict = captureIo();
    expect(await main(["generate", "--from", cluster, "--from", release, "--groups", "batch,cert-manager.io", "--out", path.join(root, "strict"), "--strict-targets"], strict)).toBe(1);
    expect(strict.err).toMatch(/1\.25: groups entry "cert-manager\.io" matches no served group\/version/);
  });

  it("check --against <release folder> keeps the project's CRD modules; --strict-targets reports them as not served", async () => {
    const io = captureIo();
    expect(await main(["check", "--against", release, "--out", out, "--project", tsconfig], io), io.out + io.err).toBe(0);
    expect(io.out).toMatch(/against .*1\.25: compatible/);
    expect(io.out).toContain("kept cert-manager.io/v1 of the folder: a release folder describes built-in groups only (--strict-targets: not kept)");
    expect(io.out).not.toContain("not served");
    const strict = captureIo();
    expect(await main(["check", "--against", release, "--out", out, "--project", tsconfig, "--strict-targets"], strict), strict.err).toBe(3);
    expect(strict.out).toMatch(/src\/main\.ts:1: cert-manager\.io\/v1 is not served by .*1\.25/);
  });
});
