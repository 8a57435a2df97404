import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadSources } from "../../generator/sources/index.js";
import { startModernTestServer, type ModernTestServer } from "../support/modern-server/index.js";
import { connectionTo } from "../support/modern-server/client-config.js";
import { describeWithSharedData } from "../support/shared-data.js";


/** Paths of requests made, with their counts, that match `pattern`. */
function requested(server: ModernTestServer, pattern: RegExp): Record<string, number> {
  return Object.fromEntries([...server.requestCounts].filter(([url]) => pattern.test(url)).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Per-group/version discovery paths: `/api/v1`, `/apis/<group>`, `/apis/<group>/<version>`. */
const LEGACY_DISCOVERY = /^\/apis?\/[^/]+(\/[^/]+)?$/;

describeWithSharedData("openapi-v3/1.35", "generator sources against a 1.35 cluster (aggregated discovery, OpenAPI v3 by hash)", (dir) => {
  let server: ModernTestServer;
  let faulty: ModernTestServer;
  const onDisk = [
    ...readdirSync(path.join(dir, "api")).map((file) => `core/${file.replace(/\.json$/, "")}`),
    ...readdirSync(path.join(dir, "apis")).flatMap((group) => readdirSync(path.join(dir, "apis", group)).map((file) => `${group}/${file.replace(/\.json$/, "")}`)),
  ].sort();

  beforeAll(async () => {
    server = await startModernTestServer({ version: "1.35" });
    faulty = await startModernTestServer({
      version: "1.35",
      faults: { unavailableGroups: ["node.k8s.io"], staleGroups: ["scheduling.k8s.io"] },
    });
  });
  afterAll(async () => {
    await server?.close();
    await faulty?.close();
  });

  it("loads all 36 group/versions with one request each to /api and /apis and one per document", async () => {
    server.resetCounts();
    const sources = await loadSources({ connection: connectionTo(server) });
    expect(onDisk).toHaveLength(36);
    expect(sources.groupVersions.map((gv) => `${gv.group || "core"}/${gv.version}`).sort()).toEqual(onDisk);
    expect(sources.openapi.kind).toBe("v3");
    expect([...(sources.openapi.kind === "v3" ? sources.openapi.documents.keys() : [])].sort()).toEqual(onDisk);
    expect(sources.serverVersion?.gitVersion).toBe("v1.35.0");
    expect(sources.skipped).toEqual([]);

    expect(requested(server, /^\/apis?$/)).toEqual({ "/api": 1, "/apis": 1 });
    expect(requested(server, LEGACY_DISCOVERY)).toEqual({});
    const documents = requested(server, /^\/openapi\/v3\//);
    expect(Object.keys(documents)).toHaveLength(36);
    expect(Object.values(documents).every((count) => count === 1)).toBe(true);
    expect(requested(server, /^\/openapi\/v2/)).toEqual({});

    // The generator keeps the server's content hash of each document.
    for (const key of onDisk) {
      const gv = server.catalog.byGroupVersion.get(key.startsWith("core/") ? key.slice(5) : key)!;
      expect([key, sources.hashes.get(key)]).toEqual([key, gv.openapi!.hash]);
    }
  });

  it("fetches only the chosen group/versions' documents", async () => {
    server.resetCounts();
    const sources = await loadSources({ connection: connectionTo(server), groups: ["batch", "apps/v1"] });
    expect(sources.groupVersions.map((gv) => `${gv.group}/${gv.version}`).sort()).toEqual(["apps/v1", "batch/v1"]);
    expect(requested(server, /^\/openapi\/v3\//)).toEqual({ "/openapi/v3/apis/apps/v1": 1, "/openapi/v3/apis/batch/v1": 1 });
    expect(requested(server, LEGACY_DISCOVERY)).toEqual({});
  });

  it("skips and reports a group answering 503 and a group marked Stale, and loads the rest", async () => {
    faulty.resetCounts();
    const warnings: string[] = [];
    const sources = await loadSources({ connection: connectionTo(faulty), log: { warn: (message) => warnings.push(message) } });
    const skipped = Object.fromEntries(sources.skipped.map((entry) => [entry.groupVersion, entry.reason]));
    const staleVersions = faulty.catalog.groups.find((group) => group.name === "scheduling.k8s.io")!.versions.map((gv) => `scheduling.k8s.io/${gv.version}`);
    expect(Object.keys(skipped).sort()).toEqual(["node.k8s.io/v1", ...staleVersions].sort());
    expect(skipped["node.k8s.io/v1"]).toMatch(/503/);
    for (const gv of staleVersions) expect(skipped[gv]).toMatch(/Stale/);
    for (const gv of Object.keys(skipped)) expect(warnings.some((warning) => warning.includes(gv))).toBe(true);

    const loaded = sources.groupVersions.map((gv) => `${gv.group || "core"}/${gv.version}`).sort();
    expect(loaded).toEqual(onDisk.filter((key) => !key.startsWith("node.k8s.io/") && !key.startsWith("scheduling.k8s.io/")));
    // A Stale group's document is never asked for; the unavailable one answers 503 (the runtime retries it, bounded).
    const asked = requested(faulty, /^\/openapi\/v3\/apis\/(scheduling|node)\.k8s\.io\//);
    expect(Object.keys(asked)).toEqual(["/openapi/v3/apis/node.k8s.io/v1"]);
    expect(asked["/openapi/v3/apis/node.k8s.io/v1"]).toBeGreaterThanOrEqual(1);
  });
});
