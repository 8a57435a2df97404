import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main, type CliIo } from "../../generator/cli/main.js";
import { generate } from "../../generator/generate.js";
import { createTransportFetcher, loadSources, type DocumentFetcher } from "../../generator/sources/index.js";
import { listTree, readManifest } from "../../generator/write/index.js";
import { createTransport } from "../../runtime/transport/index.js";
import { startModernTestServer, type ModernTestServer } from "../support/modern-server/index.js";
import { connectionTo, writeKubeconfigFor } from "../support/modern-server/client-config.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";



function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text), env, stderrIsTty: false };
  return io;
}

async function readTree(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of await listTree(folder)) files[file] = await readFile(path.join(folder, file), "utf8");
  return files;
}

/** Requests per path for OpenAPI v3 documents (the index `/openapi/v3` itself left out). */
function documentRequests(server: ModernTestServer): Record<string, number> {
  return Object.fromEntries([...server.requestCounts].filter(([url]) => url.startsWith("/openapi/v3/")).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;

describeWithSharedData("openapi-v3/1.35", "kubetyped generate against a 1.35 cluster: OpenAPI cache and incremental regeneration", (dir) => {
  let server: ModernTestServer;
  let root: string;
  let kubeconfig: string;
  let cacheDir: string;
  let out: string;
  let firstTree: Record<string, string>;
  const onDisk: string[] = [];
  const timings: Record<string, string> = {};

  beforeAll(async () => {
    server = await startModernTestServer({ version: "1.35" });
    root = await makeTempDir("modern-generate-");
    kubeconfig = await writeKubeconfigFor(path.join(root, "kubeconfig"), server);
    cacheDir = path.join(root, "cache");
    out = path.join(root, "generated");
    for (const file of await readdir(path.join(dir, "api"))) onDisk.push(`core/${file.replace(/\.json$/, "")}`);
    for (const group of await readdir(path.join(dir, "apis"))) {
      for (const file of await readdir(path.join(dir, "apis", group))) onDisk.push(`${group}/${file.replace(/\.json$/, "")}`);
    }
    onDisk.sort();
  });
  afterAll(async () => {
    console.log(`1.35 generation timings: ${JSON.stringify(timings)}`);
    await server?.close();
  });

  it("generates all 36 group/versions, fetching each document once and caching it by hash", async () => {
    server.resetCounts();
    const io = captureIo();
    const started = performance.now();
    expect(await main(["generate", "--kubeconfig", kubeconfig, "--out", out, "--cache-dir", cacheDir], io)).toBe(0);
    timings["full, cold cache"] = seconds(performance.now() - started);
    expect(io.out).toMatch(/^first generation: \d+ module\(s\)\n/);
    expect(io.out).toMatch(/\nwrote .*: 36 group\/versions, \d+ resources, \d+ types, \d+ files from https:\/\/127\.0\.0\.1:\d+ \(v1\.35\.0\) in [\d.]+s\n$/);

    const manifest = (await readManifest(out))!;
    expect(onDisk).toHaveLength(36);
    expect(Object.keys(manifest.sourceHashes).sort()).toEqual(onDisk);
    for (const key of onDisk) {
      const gv = server.catalog.byGroupVersion.get(key.startsWith("core/") ? key.slice("core/".length) : key)!;
      expect([key, manifest.sourceHashes[key]]).toEqual([key, gv.openapi!.hash]);
    }
    const documents = documentRequests(server);
    expect(Object.keys(documents)).toHaveLength(36);
    expect(Object.values(documents).every((count) => count === 1)).toBe(true);
    expect((await readdir(cacheDir)).filter((name) => name.endsWith(".json"))).toHaveLength(36);
    firstTree = await readTree(out);
  });

  it("regenerates against the unchanged cluster without fetching any OpenAPI document, leaving every file untouched", async () => {
    const mtimes = await Promise.all(Object.keys(firstTree).map(async (file) => (await stat(path.join(out, file))).mtimeMs));
    server.resetCounts();
    const io = captureIo();
    const started = performance.now();
    expect(await main(["generate", "--kubeconfig", kubeconfig, "--out", out, "--cache-dir", cacheDir], io)).toBe(0);
    timings["unchanged regeneration"] = seconds(performance.now() - started);
    expect(documentRequests(server)).toEqual({});
    // One round trip each for /api, /apis (aggregated discovery), the /openapi/v3 index, /version and the CRD list (selectableFields).
    expect(Object.fromEntries(server.requestCounts)).toEqual({ "/api": 1, "/apis": 1, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions": 1, "/openapi/v3": 1, "/version": 1 });
    // Nor is any document read from the cache: the index's hashes tell that nothing changed.
    expect(io.out).toMatch(/^no API changes since the last generation\n.* was already up to date: 36 group\/versions, .* in [\d.]+s\n$/m);
    expect(await readTree(out)).toEqual(firstTree);
    expect(await Promise.all(Object.keys(firstTree).map(async (file) => (await stat(path.join(out, file))).mtimeMs))).toEqual(mtimes);
  });

  it("regenerates in full from the cache into a new folder, byte-identical, and incrementally after a hand edit", async () => {
    server.resetCounts();
    let started = performance.now();
    const fresh = await generate({ connection: connectionTo(server), out: path.join(root, "fresh"), cacheDir });
    timings["full, warm cache"] = seconds(performance.now() - started);
    expect(documentRequests(server)).toEqual({});
    expect(fresh).toMatchObject({ cache: { hits: 36, misses: 0 }, reused: { all: false, files: 0 } });
    expect(await readTree(path.join(root, "fresh"))).toEqual(firstTree);

    // A hand edit defeats the "nothing changed" shortcut; only the edited file is written again.
    await writeFile(path.join(out, "batch/v1.ts"), "// edited by hand\n");
    started = performance.now();
    const repaired = await generate({ connection: connectionTo(server), out, cacheDir });
    timings["incremental (1 file rewritten)"] = seconds(performance.now() - started);
    expect(repaired.reused).toEqual({ all: false, files: Object.keys(firstTree).length - 2 });
    expect(repaired.changes).toEqual([{ path: "batch/v1.ts", change: "changed" }]);
    expect(await readTree(out)).toEqual(firstTree);

    started = performance.now();
    const unchanged = await generate({ connection: connectionTo(server), out, cacheDir });
    timings["unchanged (programmatic)"] = seconds(performance.now() - started);
    expect(unchanged.reused.all).toBe(true);
  });

  it("refetches a cache entry that no longer matches its hash, and fetches everything with --no-cache", async () => {
    const entries = (await readdir(cacheDir)).filter((name) => name.endsWith(".json"));
    const batchHash = server.catalog.byGroupVersion.get("batch/v1")!.openapi!.hash;
    expect(entries).toContain(`${batchHash}.json`);
    await writeFile(path.join(cacheDir, `${batchHash}.json`), '{"openapi": "3.0.0", "paths": {}}');
    server.resetCounts();
    const other = path.join(root, "after-corruption");
    const result = await generate({ connection: connectionTo(server), out: other, cacheDir });
    expect(documentRequests(server)).toEqual({ "/openapi/v3/apis/batch/v1": 1 });
    expect(result.cache).toMatchObject({ hits: 35, rejected: 1 });
    expect(await readTree(other)).toEqual(firstTree);

    server.resetCounts();
    const home = path.join(root, "home");
    const io = captureIo({ HOME: home });
    // Into a new folder: `other` is up to date, and an unchanged regeneration fetches no document at all.
    expect(await main(["generate", "--kubeconfig", kubeconfig, "--out", path.join(root, "no-cache"), "--no-cache", "--quiet"], io)).toBe(0);
    expect(Object.keys(documentRequests(server))).toHaveLength(36);
    // Neither the default folder nor any other was written.
    await expect(stat(path.join(home, ".cache"))).rejects.toThrow(/ENOENT/);

    server.resetCounts();
    expect(await main(["generate", "--kubeconfig", kubeconfig, "--out", path.join(root, "default-cache"), "--quiet", "--groups", "batch"], io)).toBe(0);
    expect(await readdir(path.join(home, ".cache", "kubetyped", "openapi"))).toEqual([`${batchHash}.json`]);
  });

  it("follows a stale hash: the server's 301 makes it read the index again once, then fetch the current URL", async () => {
    const transport = createTransport(connectionTo(server));
    const live = createTransportFetcher(transport, server.url);
    let indexAnswers = 0;
    // The first index read carries an outdated hash for batch/v1, as after an upgrade between two reads.
    const racing: DocumentFetcher = {
      origin: live.origin,
      async get(urlPath, accept) {
        const answer = await live.get(urlPath, accept);
        if (urlPath !== "/openapi/v3" || indexAnswers++ > 0) return answer;
        return { ...answer, body: answer.body.replace(/(apis\/batch\/v1\?hash=)[0-9A-F]+/, "$1OUTDATED") };
      },
    };
    try {
      server.resetCounts();
      const sources = await loadSources({ fetcher: racing, groups: ["batch/v1", "apps/v1"] });
      expect(indexAnswers).toBe(2);
      expect(server.requestCounts.get("/openapi/v3")).toBe(2);
      expect(documentRequests(server)).toEqual({ "/openapi/v3/apis/apps/v1": 1, "/openapi/v3/apis/batch/v1": 2 });
      expect(sources.hashes.get("batch/v1")).toBe(server.catalog.byGroupVersion.get("batch/v1")!.openapi!.hash);
    } finally {
      await transport.close();
    }
  });
});

describeWithSharedData("openapi-v3/1.23", "kubetyped generate against a 1.23 cluster (OpenAPI v3 index without hashes)", () => {
  let server: ModernTestServer;
  let root: string;
  beforeAll(async () => {
    server = await startModernTestServer({ version: "1.23" });
    root = await makeTempDir("modern-generate-1.23-");
  });
  afterAll(async () => {
    await server?.close();
  });

  it("fetches the documents the names-only index lists, hashes them itself, and regenerates to the same bytes", async () => {
    const out = path.join(root, "generated");
    const cacheDir = path.join(root, "cache");
    server.resetCounts();
    const first = await generate({ connection: connectionTo(server), out, cacheDir, groups: ["batch", "apps/v1", "core/v1"] });
    expect(first.groupVersions).toEqual(["apps/v1", "batch/v1", "batch/v1beta1", "core/v1"]);
    expect(documentRequests(server)).toEqual({
      "/openapi/v3/api/v1": 1,
      "/openapi/v3/apis/apps/v1": 1,
      "/openapi/v3/apis/batch/v1": 1,
      "/openapi/v3/apis/batch/v1beta1": 1,
    });
    const manifest = (await readManifest(out))!;
    for (const hash of Object.values(manifest.sourceHashes)) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const tree = await readTree(out);

    // Without hashes in the index nothing can be taken from the cache before fetching; the output is still reused whole.
    const again = await generate({ connection: connectionTo(server), out, cacheDir, groups: ["batch", "apps/v1", "core/v1"] });
    expect(again.reused.all).toBe(true);
    expect(again.cache).toMatchObject({ hits: 0 });
    expect(await readTree(out)).toEqual(tree);
  });
});
