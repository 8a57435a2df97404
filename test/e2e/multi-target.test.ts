import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../generator/cli/main.js";
import { generate } from "../../generator/generate.js";
import { readManifest, readSummary } from "../../generator/write/index.js";
import { loadKubeconfig } from "../../runtime/config/index.js";
import { describeWithCluster } from "../support/cluster.js";
import { startModernTestServer, type ModernTestServer } from "../support/modern-server/index.js";
import { connectionTo, writeKubeconfigFor } from "../support/modern-server/client-config.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";
import { typecheckFolder } from "../corpus/support/typecheck.js";
import { captureIo, readTree } from "../support/cli-io.js";

/**
 * Several live targets: the real kube-apiserver v1.20.2 (OpenAPI v2) mixed with a snapshot recorded from a
 * replayed 1.25 server (OpenAPI v3), and two replayed servers (1.29, 1.35) as two contexts of one
 * kubeconfig, whose OpenAPI documents are cached per content hash.
 */


// v1.20.2 for the mix of an OpenAPI v2 server with an OpenAPI v3 snapshot.
describeWithCluster("kubetyped generate for a live cluster and a snapshot at once", (cluster) => {
  let modern: ModernTestServer;
  let root: string;
  let snapshotDir: string;

  beforeAll(async () => {
    modern = await startModernTestServer({ version: "1.25" });
    root = await makeTempDir("multi-live-");
    const kubeconfig = await writeKubeconfigFor(path.join(root, "modern.kubeconfig"), modern);
    snapshotDir = path.join(root, "v1.25-snapshot");
    expect(await main(["snapshot", "--kubeconfig", kubeconfig, "--out", snapshotDir, "--quiet"], captureIo())).toBe(0);
  });
  afterAll(async () => {
    await modern?.close();
  });

  it("holds what v1.20.2 (live) and v1.25.0 (snapshot) both serve, says what it left out, and type-checks", async () => {
    const out = path.join(root, "live-and-snapshot");
    const io = captureIo();
    expect(await main(["generate", "--from", snapshotDir, "--kubeconfig", cluster.kubeconfigPath, "--out", out, "--no-cache"], io)).toBe(0);
    expect(io.out).toMatch(new RegExp(`^wrote .* from ${cluster.server.replace(/\./g, "\\.")} \\(v1\\.20\\.2\\) \\+ snapshot .*v1\\.25-snapshot \\(v1\\.25\\.0\\) in`, "m"));
    const manifest = (await readManifest(out))!;
    expect(manifest.openapi).toBe("mixed");
    expect(manifest.targets?.map((target) => [target.label, target.clusterVersion, target.openapi])).toEqual([
      ["v1.20.2", "v1.20.2", "v2"],
      ["v1.25.0", "v1.25.0", "v3"],
    ]);
    const omitted = (pathOf: string) => manifest.omitted?.find((entry) => entry.path === pathOf);
    // CronJob: batch/v1beta1 is gone in 1.25, batch/v1 has it only from 1.21.
    expect(omitted("batch/v1beta1")).toMatchObject({ kind: "missing", detail: "not served by v1.25.0" });
    expect(omitted("batch/v1 cronjobs")).toMatchObject({ kind: "missing", detail: "not served by v1.20.2" });
    expect(omitted("discovery.k8s.io/v1")).toMatchObject({ kind: "missing", detail: "not served by v1.20.2" });
    expect(omitted("core/v1 PodSpec.os")).toMatchObject({ kind: "missing", detail: "not in v1.20.2" });
    expect(Object.keys((await readSummary(out, manifest)).groupVersions["batch/v1"]!.resources)).toEqual(["jobs"]);
    expect(io.out).toContain("left out groupVersion batch/v1beta1 (not served by v1.25.0)");

    // The same targets read live (no snapshot, other order) generate the same bytes: nothing names where they were read.
    const live = path.join(root, "both-live");
    await generate({ targets: [{ connection: connectionTo(modern) }, { connection: await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath, env: {} }) }], out: live });
    expect(await readTree(live)).toEqual(await readTree(out));
    expect(await typecheckFolder(out)).toBe("");
  }, 240_000);
}, "oldestCluster");

describeWithSharedData("openapi-v3", "kubetyped generate --context a --context b: two clusters, one OpenAPI cache", () => {
  let old: ModernTestServer;
  let current: ModernTestServer;
  let root: string;
  let kubeconfig: string;

  beforeAll(async () => {
    [old, current] = await Promise.all([startModernTestServer({ version: "1.29" }), startModernTestServer({ version: "1.35" })]);
    root = await makeTempDir("multi-context-");
    kubeconfig = path.join(root, "kubeconfig");
    await writeFile(kubeconfig, kubeconfigWithContexts({ old, new: current }), { mode: 0o600 });
  });
  afterAll(async () => {
    await Promise.all([old?.close(), current?.close()]);
  });

  it("fetches each cluster's documents once, then answers both from the cache", async () => {
    const cacheDir = path.join(root, "cache");
    const io = captureIo();
    const flags = ["generate", "--kubeconfig", kubeconfig, "--context", "new", "--context", "old", "--cache-dir", cacheDir];
    expect(await main([...flags, "--out", path.join(root, "first")], io)).toBe(0);
    expect(io.out).toMatch(/from https:\/\/127\.0\.0\.1:\d+ \(v1\.29\.0\) \+ https:\/\/127\.0\.0\.1:\d+ \(v1\.35\.0\) in/);
    const openapiRequests = (server: ModernTestServer) => [...server.requestCounts].filter(([url]) => url.startsWith("/openapi/v3/")).reduce((sum, [, n]) => sum + n, 0);
    const documents = old.catalog.byGroupVersion.size + current.catalog.byGroupVersion.size;
    expect(openapiRequests(old) + openapiRequests(current)).toBe(documents);
    const distinct = new Set([...old.catalog.byGroupVersion.values(), ...current.catalog.byGroupVersion.values()].map((gv) => gv.openapi!.hash)).size;
    expect((await readdir(cacheDir)).filter((name) => name.endsWith(".json"))).toHaveLength(distinct);

    old.resetCounts();
    current.resetCounts();
    const second = await generate({
      targets: [{ connection: connectionTo(old) }, { connection: connectionTo(current) }],
      out: path.join(root, "second"),
      cacheDir,
    });
    expect(openapiRequests(old) + openapiRequests(current)).toBe(0);
    expect(second.cache).toMatchObject({ hits: documents, misses: 0 });
    expect(await readTree(path.join(root, "second"))).toEqual(await readTree(path.join(root, "first")));
  }, 240_000);
});

/** One kubeconfig with a context (and cluster and user) per test server, named by the keys. */
function kubeconfigWithContexts(servers: Record<string, ModernTestServer>): string {
  const entries = Object.entries(servers);
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    ...entries.map(([name, server]) => `- name: ${name}\n  cluster:\n    server: ${server.url}\n    certificate-authority-data: ${server.caPem.toString("base64")}`),
    "users:",
    ...entries.map(([name, server]) => `- name: ${name}\n  user:\n    token: ${server.token}`),
    "contexts:",
    ...entries.map(([name]) => `- name: ${name}\n  context: { cluster: ${name}, user: ${name} }`),
    `current-context: ${entries[0]![0]}`,
    "",
  ].join("\n");
}
