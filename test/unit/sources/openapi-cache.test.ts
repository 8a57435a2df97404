import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDocumentCache } from "../../../generator/cache/document-cache.js";
import { cacheableHash, createCachingFetcher, loadOpenApi, loadSources, type DiscoveredGroupVersion, type FetchedDocument } from "../../../generator/sources/index.js";
import { tableFetcher } from "./fixtures.js";

const gv = (group: string, version: string): DiscoveredGroupVersion => ({ group, version, preferred: true, resources: [] });
const document = (title: string) => JSON.stringify({ openapi: "3.0.0", info: { title, version: "v" }, paths: {}, components: { schemas: {} } });
const kubeHash = (text: string) => createHash("sha512").update(text).digest("hex").toUpperCase();
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const ok = (body: string): FetchedDocument => ({ status: 200, contentType: "application/json", body });
const moved = (location: string): FetchedDocument => ({ status: 301, contentType: "text/html", body: `<a href="${location}">Moved Permanently</a>.` });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kubetyped-openapi-cache-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("OpenAPI v3 index forms", () => {
  it("reads the 1.23 index of names only, fetches each document without a hash and hashes it locally", async () => {
    const core = document("core");
    const batch = document("batch");
    const fetcher = tableFetcher({
      "/openapi/v3": { Paths: ["api/v1", "apis/batch/v1", "apis/apps/v1"] },
      "/openapi/v3/api/v1": ok(core),
      "/openapi/v3/apis/batch/v1": ok(batch),
    });
    const result = await loadOpenApi(fetcher, [gv("", "v1"), gv("batch", "v1"), gv("policy", "v1")]);
    expect(fetcher.requests.map((request) => request.path).sort()).toEqual(["/openapi/v3", "/openapi/v3/api/v1", "/openapi/v3/apis/batch/v1"]);
    expect([...result.hashes]).toEqual([
      ["batch/v1", sha256(batch)],
      ["core/v1", sha256(core)],
    ]);
    expect(result.skipped).toEqual([{ groupVersion: "policy/v1", reason: "/openapi/v3 does not list apis/policy/v1" }]);
  });

  it("rejects an index with neither form, naming the URL and field", async () => {
    const fetcher = tableFetcher({ "/openapi/v3": { kind: "Status" } });
    await expect(loadOpenApi(fetcher, [gv("", "v1")])).rejects.toThrow(/^\/openapi\/v3 at \/paths: expected `paths` \(or the 1\.23 `Paths` list\)/);
  });

  it("on a 301 for a stale hash, reads the index again once and fetches the new URLs", async () => {
    const batch = document("batch v2");
    const apps = document("apps v2");
    const indexes = [
      { paths: { "apis/batch/v1": { serverRelativeURL: "/openapi/v3/apis/batch/v1?hash=OLD1" }, "apis/apps/v1": { serverRelativeURL: "/openapi/v3/apis/apps/v1?hash=OLD2" } } },
      { paths: { "apis/batch/v1": { serverRelativeURL: "/openapi/v3/apis/batch/v1?hash=NEW1" }, "apis/apps/v1": { serverRelativeURL: "/openapi/v3/apis/apps/v1?hash=NEW2" } } },
    ];
    const table = tableFetcher({
      "/openapi/v3/apis/batch/v1?hash=OLD1": moved("/openapi/v3/apis/batch/v1?hash=NEW1"),
      "/openapi/v3/apis/apps/v1?hash=OLD2": moved("/openapi/v3/apis/apps/v1?hash=NEW2"),
      "/openapi/v3/apis/batch/v1?hash=NEW1": ok(batch),
      "/openapi/v3/apis/apps/v1?hash=NEW2": ok(apps),
    });
    let indexReads = 0;
    const fetcher = {
      origin: "table",
      get: (path: string, accept?: string) =>
        path === "/openapi/v3" ? Promise.resolve(ok(JSON.stringify(indexes[Math.min(indexReads++, 1)]))) : table.get(path, accept),
    };
    const result = await loadOpenApi(fetcher, [gv("batch", "v1"), gv("apps", "v1")]);
    expect(indexReads).toBe(2);
    expect([...result.hashes]).toEqual([
      ["apps/v1", "NEW2"],
      ["batch/v1", "NEW1"],
    ]);
    expect(result.openapi.kind === "v3" && result.openapi.documents.get("batch/v1")?.info.title).toBe("batch v2");
  });

  it("fails naming the URL when the document still redirects after the index was read again five times", { timeout: 15_000 }, async () => {
    const index = { paths: { "apis/batch/v1": { serverRelativeURL: "/openapi/v3/apis/batch/v1?hash=A" } } };
    const fetcher = tableFetcher({ "/openapi/v3": index, "/openapi/v3/apis/batch/v1?hash=A": moved("/openapi/v3/apis/batch/v1?hash=B") });
    await expect(loadOpenApi(fetcher, [gv("batch", "v1")])).rejects.toThrow(
      /^\/openapi\/v3\/apis\/batch\/v1\?hash=A: still redirected \(HTTP 301\) after reading \/openapi\/v3 again 5 times.*run again once it settles/,
    );
    expect(fetcher.requests.filter((request) => request.path === "/openapi/v3")).toHaveLength(1 + 5);
  });
});

describe("caching fetcher", () => {
  it("caches hashed OpenAPI documents only, and serves them without asking the server again", async () => {
    const body = document("batch");
    const hash = kubeHash(body);
    const path = `/openapi/v3/apis/batch/v1?hash=${hash}`;
    const server = tableFetcher({ [path]: ok(body), "/openapi/v3": { paths: {} }, "/openapi/v3/api/v1": ok(document("core")) });
    const cache = createDocumentCache(dir);
    const first = createCachingFetcher(server, cache);
    expect((await first.get(path, "application/json")).body).toBe(body);
    await first.get("/openapi/v3", "application/json");
    await first.get("/openapi/v3/api/v1", "application/json");

    const second = createCachingFetcher(server, createDocumentCache(dir));
    expect(await second.get(path, "application/json")).toEqual(ok(body));
    await second.get("/openapi/v3", "application/json");
    await second.get("/openapi/v3/api/v1", "application/json");
    // The hashed document was asked for once; the index and the unhashed document every time.
    expect(server.requests.map((request) => request.path)).toEqual([path, "/openapi/v3", "/openapi/v3/api/v1", "/openapi/v3", "/openapi/v3/api/v1"]);
  });

  it("does not store an answer whose content does not match its digest hash, nor errors", async () => {
    const body = document("batch");
    const wrong = `/openapi/v3/apis/batch/v1?hash=${kubeHash("something else")}`;
    const failing = `/openapi/v3/apis/apps/v1?hash=${kubeHash(body)}`;
    const server = tableFetcher({ [wrong]: ok(body), [failing]: { status: 503, body: "unavailable" } });
    const cache = createDocumentCache(dir);
    const fetcher = createCachingFetcher(server, cache);
    await fetcher.get(wrong, "application/json");
    await fetcher.get(failing, "application/json");
    await fetcher.get(wrong, "application/json");
    expect(server.requests).toHaveLength(3);
    expect(cache.stats.hits).toBe(0);
  });

  it("warns and keeps going when the cache folder cannot be written", async () => {
    const body = document("batch");
    const path = `/openapi/v3/apis/batch/v1?hash=${kubeHash(body)}`;
    const warnings: string[] = [];
    const blocked = join(dir, "file");
    await import("node:fs/promises").then((fs) => fs.writeFile(blocked, "not a folder"));
    const fetcher = createCachingFetcher(tableFetcher({ [path]: ok(body) }), createDocumentCache(join(blocked, "openapi")), (w) => warnings.push(w));
    expect((await fetcher.get(path, "application/json")).body).toBe(body);
    expect((await fetcher.get(path, "application/json")).body).toBe(body);
    // Said once, not once per document.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/openapi could not be written \(.*\); pass --cache-dir DIR or --no-cache$/);
  });

  it("still records documents served from the cache into a --record snapshot", async () => {
    const body = document("batch");
    const hash = kubeHash(body);
    const server = tableFetcher({
      "/version": { major: "1", minor: "35", gitVersion: "v1.35.0" },
      "/api": { kind: "APIVersions", versions: [] },
      "/apis": { kind: "APIGroupList", groups: [{ name: "batch", versions: [{ version: "v1" }] }] },
      "/apis/batch/v1": { kind: "APIResourceList", groupVersion: "batch/v1", resources: [] },
      "/openapi/v3": { paths: { "apis/batch/v1": { serverRelativeURL: `/openapi/v3/apis/batch/v1?hash=${hash}` } } },
      [`/openapi/v3/apis/batch/v1?hash=${hash}`]: ok(body),
    });
    const cache = createDocumentCache(join(dir, "cache"));
    await loadSources({ fetcher: server, cache });
    const record = join(dir, "snapshot");
    const sources = await loadSources({ fetcher: server, cache, record });
    expect(cache.stats.hits).toBe(1);
    expect(server.requests.filter((request) => request.path.startsWith("/openapi/v3/"))).toHaveLength(1);
    expect(await readFile(join(record, "openapi", "v3", "apis", "batch", "v1.json"), "utf8")).toBe(body);
    expect(sources.hashes.get("batch/v1")).toBe(hash);
  });

  it("takes the hash from the query of /openapi/v3 document paths only", () => {
    expect(cacheableHash("/openapi/v3/apis/batch/v1?hash=ABC")).toBe("ABC");
    expect(cacheableHash("/openapi/v3/apis/batch/v1")).toBeUndefined();
    expect(cacheableHash("/openapi/v3/apis/batch/v1?hash=")).toBeUndefined();
    expect(cacheableHash("/apis/batch/v1?hash=ABC")).toBeUndefined();
  });
});
