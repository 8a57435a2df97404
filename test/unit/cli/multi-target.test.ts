import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { main } from "../../../generator/cli/main.js";
import { generate } from "../../../generator/generate.js";
import { readManifest, readSummary } from "../../../generator/write/index.js";
import { describeWithSharedData } from "../../support/shared-data.js";
import { makeTempDir } from "../../support/tmp.js";
import { typecheckFolder } from "../../corpus/support/typecheck.js";
import { captureIo, readTree } from "../../support/cli-io.js";



describeWithSharedData("openapi-v3", "kubetyped generate --from A --from B: what several Kubernetes versions all serve", (folder) => {
  const v = (version: string) => path.join(folder, version);
  let root: string;
  beforeAll(async () => {
    root = await makeTempDir("multi-target-");
  });

  it("1.25 + 1.35 in either order write the same bytes: flowcontrol v1beta2 and PodSpec.schedulingGates left out and reported, batch/v1 kept", async () => {
    const [first, second] = [path.join(root, "a"), path.join(root, "b")];
    const io = captureIo();
    expect(await main(["generate", "--from", v("1.35"), "--from", v("1.25"), "--out", first], io)).toBe(0);
    expect(await main(["generate", "--from", v("1.25"), "--from", v("1.35"), "--out", second, "--quiet"], captureIo())).toBe(0);
    expect(await readTree(first)).toEqual(await readTree(second));

    expect(io.out).toContain(`common to 2 targets (${v("1.25")}, ${v("1.35")}): `);
    expect(io.out).toContain(`left out groupVersion flowcontrol.apiserver.k8s.io/v1beta2 (not served by ${v("1.35")})`);
    expect(io.out).toContain(`left out field        core/v1 PodSpec.schedulingGates (not in ${v("1.25")})`);
    expect(io.out).toMatch(/narrowed field {8}core\/v1 PersistentVolumeClaimSpec\.resources \(/);
    expect(io.out).toMatch(new RegExp(`^wrote .*: 22 group/versions, \\d+ resources, \\d+ types, \\d+ files from openapi folder ${escape(v("1.25"))} \\+ openapi folder ${escape(v("1.35"))} in`, "m"));

    const manifest = (await readManifest(first))!;
    expect(manifest.targets?.map((target) => [target.label, target.openapi, Object.keys(target.sourceHashes).length])).toEqual([
      [v("1.25"), "v3", 22],
      [v("1.35"), "v3", 22],
    ]);
    expect(manifest.clusterVersion).toBeUndefined();
    const summary = await readSummary(first, manifest);
    expect(Object.keys(summary.groupVersions)).toEqual(expect.arrayContaining(["batch/v1", "core/v1", "apps/v1", "meta/v1"]));
    expect(Object.keys(summary.groupVersions)).not.toContain("flowcontrol.apiserver.k8s.io/v1beta2");
    expect(Object.keys(summary.groupVersions["batch/v1"]!.resources)).toEqual(["cronjobs", "jobs"]);
    expect(summary.groupVersions["core/v1"]!.types["PodSpec"]!["schedulingGates"]).toBeUndefined();
    expect(manifest.omitted).toContainEqual({ subject: "field", path: "core/v1 PodSpec.schedulingGates", kind: "missing", targets: [v("1.25")], detail: `not in ${v("1.25")}` });
    expect(await typecheckFolder(first)).toBe("");
  }, 180_000);

  it("a second run over the same targets redoes nothing; --check passes; a different set of targets is drift", async () => {
    const out = path.join(root, "again");
    const targets = ["--from", v("1.30"), "--from", v("1.31")];
    expect(await main(["generate", ...targets, "--out", out, "--quiet"], captureIo())).toBe(0);
    const again = await generate({ targets: [{ from: v("1.31") }, { from: v("1.30") }], out });
    expect(again.reused.all).toBe(true);
    expect(again.targets?.map((target) => target.label)).toEqual([v("1.30"), v("1.31")]);
    expect(again.omitted?.length).toBeGreaterThan(0);
    expect(await main(["generate", ...targets, "--out", out, "--check"], captureIo())).toBe(0);
    const drift = captureIo();
    expect(await main(["generate", ...targets, "--from", v("1.29"), "--out", out, "--check"], drift)).toBe(3);
    expect(drift.out).toContain("is out of date; generate would change:");
    // A --groups entry one target does not serve: nothing common to generate, and the error names that target.
    const notServed = captureIo();
    expect(await main(["generate", "--from", v("1.24"), "--from", v("1.25"), "--groups", "batch/v1beta1", "--out", path.join(root, "never")], notServed)).toBe(1);
    expect(notServed.err).toContain(`error: ${v("1.25")}: groups entry "batch/v1beta1" matches no served group/version`);
  }, 180_000);

  it("every version from 1.23 to 1.35 at once: what all thirteen serve, and it type-checks", async () => {
    const versions = readdirSync(folder).sort();
    expect(versions).toHaveLength(13);
    const out = path.join(root, "all");
    const result = await generate({ targets: versions.map((version) => ({ from: v(version) })), out });
    expect(result.targets?.map((target) => path.basename(target.label))).toEqual(versions);
    expect(result.groupVersions).toEqual(expect.arrayContaining(["core/v1", "apps/v1", "batch/v1", "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1"]));
    // batch/v1beta1 went in 1.25, flowcontrol v1beta1 in 1.26, policy/v1beta1 in 1.25; flowcontrol v1 came in 1.29.
    for (const gone of ["batch/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta1", "policy/v1beta1", "flowcontrol.apiserver.k8s.io/v1"]) expect(result.groupVersions).not.toContain(gone);
    const manifest = (await readManifest(out))!;
    const podSpec = (await readSummary(out, manifest)).groupVersions["core/v1"]!.types["PodSpec"]!;
    expect(Object.keys(podSpec)).toEqual(expect.arrayContaining(["containers", "volumes", "ephemeralContainers"]));
    // Added after 1.23: schedulingGates (1.26), resourceClaims (1.26), hostUsers (1.25).
    for (const added of ["schedulingGates", "resourceClaims", "hostUsers"]) expect(podSpec[added], added).toBeUndefined();
    const missing = manifest.omitted!.find((entry) => entry.path === "batch/v1beta1");
    expect(missing?.detail).toBe(`not served by ${versions.filter((version) => version >= "1.25").map(v).join(", ")}`);
    expect(await typecheckFolder(out)).toBe("");
  }, 300_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
