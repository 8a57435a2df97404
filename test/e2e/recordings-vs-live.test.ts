// The recorded OpenAPI v3 documents of a release (../shared/k8s/openapi-v3/1.35) against a live server of the same
// release: generating from either must give the same modules for what both serve, or the difference is named.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main, type CliIo } from "../../generator/cli/main.js";
import { listTree } from "../../generator/write/index.js";
import { canBuildControlPlane, ensureControlPlaneBinaries } from "../../local-cluster/binaries.js";
import { startLocalCluster, type LocalCluster } from "../../local-cluster/cluster.js";
import { findRelease } from "../../local-cluster/releases.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";

const RELEASE = findRelease("1.35");

function captureIo(): CliIo & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text), env: {}, stderrIsTty: false };
  return io;
}

async function modules(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of (await listTree(folder)).filter((name) => name.endsWith(".ts"))) files[file] = await readFile(join(folder, file), "utf8");
  return files;
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

  it("gives byte-identical modules for every group/version both serve", { timeout: 180_000 }, async () => {
    const live = join(root, "live");
    const recorded = join(root, "recorded");
    for (const [args, out] of [
      [["--kubeconfig", cluster.kubeconfigPath], live],
      [["--from", recording], recorded],
    ] as const) {
      const io = captureIo();
      expect(await main(["generate", ...args, "--out", out, "--quiet"], io), io.err).toBe(0);
    }
    const [fromLive, fromRecording] = [await modules(live), await modules(recorded)];
    const both = Object.keys(fromLive).filter((file) => file in fromRecording);
    // The recording is the release branch's api/openapi-spec: it also holds group/versions a server serves only
    // when their feature gate or runtime-config is on (alpha and most beta APIs). Every one the live server serves
    // is recorded.
    expect(Object.keys(fromLive).filter((file) => !(file in fromRecording))).toEqual([]);
    expect(both.length).toBeGreaterThan(20);
    const recordedOnly = Object.keys(fromRecording).filter((file) => !(file in fromLive));
    expect(recordedOnly.every((file) => /\/v\d+(alpha|beta)\d+\.ts$/.test(file)), recordedOnly.join(", ")).toBe(true);
    for (const file of both) expect(fromLive[file], file).toBe(fromRecording[file]);
    expect(await readdir(recording)).toEqual(expect.arrayContaining(["api", "apis"]));
  });
});
