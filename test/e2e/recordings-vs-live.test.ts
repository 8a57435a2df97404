// The recorded OpenAPI v3 documents of a release (../shared/k8s/openapi-v3/1.35) against a live server of the same
// release: generating from either gives the same modules for what both serve, but for what the live server adds.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../generator/cli/main.js";
import { listTree } from "../../generator/write/index.js";
import { canBuildControlPlane, ensureControlPlaneBinaries } from "../../local-cluster/binaries.js";
import { startLocalCluster, type LocalCluster } from "../../local-cluster/cluster.js";
import { findRelease } from "../../local-cluster/releases.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { captureIo, readTree } from "../support/cli-io.js";
import { makeTempDir } from "../support/tmp.js";

const RELEASE = findRelease("1.35");

async function modules(folder: string): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries(await readTree(folder)).filter(([file]) => file.endsWith(".ts")));
}

describeWithSharedData("openapi-v3/1.35", `generation from a live ${RELEASE.kubernetes} and from the 1.35 recording`, (recording) => {
  let cluster: LocalCluster;
  let root: string;

  beforeAll(async () => {
    const log = (line: string) => process.stderr.write(`[${RELEASE.kubernetes}] ${line}\n`);
    const binaries = await ensureControlPlaneBinaries({ build: await canBuildControlPlane(process.env, RELEASE), release: RELEASE, log });
    cluster = await startLocalCluster({ binaries, log });
    root = await makeTempDir("recordings-vs-live-");
  }, 1_800_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it("gives the same modules as the recording where it served the same schemas; the live server adds enums", { timeout: 180_000 }, async () => {
    const snapshot = join(root, "snapshot");
    const io = captureIo();
    expect(await main(["snapshot", "--kubeconfig", cluster.kubeconfigPath, "--out", snapshot, "--quiet"], io), io.err).toBe(0);
    const fromLive = await generated(["--from", snapshot], join(root, "live"));
    const fromRecording = await generated(["--from", recording], join(root, "recorded"));
    // The recording is the release branch's api/openapi-spec: it also holds group/versions a server serves only
    // when their feature gate or runtime-config is on (alpha and most beta APIs). Every one the live server serves
    // is recorded.
    expect(Object.keys(fromLive).filter((file) => !(file in fromRecording))).toEqual([]);
    const recordedOnly = Object.keys(fromRecording).filter((file) => !(file in fromLive));
    expect(recordedOnly.every((file) => /\/v\d+(alpha|beta)\d+(\.validate)?\.ts$/.test(file)), recordedOnly.join(", ")).toBe(true);

    // Where they differ, the live server wins: it publishes the enums of its types (OpenAPIEnums, on by default),
    // which the recording leaves out, so the live modules are the more exact ones.
    expect(fromLive["admissionregistration.k8s.io/v1.ts"]).toContain('failurePolicy?: "Fail" | "Ignore";');
    expect(fromRecording["admissionregistration.k8s.io/v1.ts"]).toContain("failurePolicy?: string;");

    // Without them, the live documents give exactly the recording's modules for the group/versions the server
    // serves, meta/v1 and the index included. (The recording also lists application/cbor answers, which this
    // server does not offer with CBOR serving off: no module shows them.)
    await withoutEnums(join(snapshot, "openapi"));
    const withoutLiveEnums = await generated(["--from", snapshot], join(root, "live-without-enums"));
    const served = Object.keys(fromLive).filter((file) => file !== "index.ts" && !file.startsWith("meta/v1.") && !file.endsWith(".validate.ts")).map((file) => file.replace(/\.ts$/, ""));
    expect(served.length).toBeGreaterThan(20);
    const recordedServed = await generated(["--from", recording, "--groups", served.join(",")], join(root, "recorded-served"));
    expect(Object.keys(withoutLiveEnums).sort()).toEqual(Object.keys(recordedServed).sort());
    // The typed modules; validator data (<gv>.validate.ts) also keeps keywords the types do not show, where the
    // live documents and the recording differ beyond enums (meta/v1's schemas do): the live server wins there too.
    for (const file of Object.keys(withoutLiveEnums).filter((name) => !name.endsWith(".validate.ts"))) expect(withoutLiveEnums[file], file).toBe(recordedServed[file]);
  });
});

/** Generates from `args` into `out` and answers its modules. */
async function generated(args: string[], out: string): Promise<Record<string, string>> {
  const io = captureIo();
  expect(await main(["generate", ...args, "--out", out, "--quiet"], io), io.err).toBe(0);
  return modules(out);
}

/** Removes what the OpenAPIEnums feature adds to documents: `enum` lists and the "Possible enum values" paragraph. */
async function withoutEnums(folder: string): Promise<void> {
  const paragraph = /\n*\n\nPossible enum values:\n[\s\S]*$/;
  // `properties` maps names to schemas: a property may be called "enum" (JSONSchemaProps has one).
  const strip = (value: unknown, names = false): unknown => {
    if (Array.isArray(value)) return value.map((item) => strip(item));
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => names || key !== "enum")
        .map(([key, inner]) => [key, !names && key === "description" && typeof inner === "string" ? inner.replace(paragraph, "") : strip(inner, !names && key === "properties")]),
    );
  };
  for (const file of (await listTree(folder)).filter((name) => name.startsWith("v3/"))) {
    const path = join(folder, file);
    await writeFile(path, JSON.stringify(strip(JSON.parse(await readFile(path, "utf8")))));
  }
}
