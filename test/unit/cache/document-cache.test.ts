import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultOpenApiCacheDir } from "../../../generator/cache/cache-dir.js";
import { createDocumentCache } from "../../../generator/cache/document-cache.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kubetyped-cache-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const body = JSON.stringify({ openapi: "3.0.0", paths: {} });
/** kube-openapi's hash: upper-case hex SHA-512 of the served JSON. */
const kubeHash = (text: string) => createHash("sha512").update(text).digest("hex").toUpperCase();

describe("OpenAPI document cache", () => {
  it("stores a document under its server hash and reads it back, counting hits and misses", async () => {
    const cache = createDocumentCache(join(dir, "openapi"));
    const hash = kubeHash(body);
    expect(await cache.read(hash)).toBeUndefined();
    await cache.write(hash, body);
    expect(await readdir(join(dir, "openapi"))).toEqual([`${hash}.json`]);
    expect(await cache.read(hash)).toBe(body);
    expect(cache.stats).toEqual({ hits: 1, misses: 1, rejected: 0 });
  });

  it("rejects and removes an entry whose content no longer matches its hash, or is not JSON", async () => {
    const cache = createDocumentCache(dir);
    const hash = kubeHash(body);
    await cache.write(hash, body);
    await writeFile(join(dir, `${hash}.json`), body.replace("3.0.0", "3.0.1"));
    expect(await cache.read(hash)).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);

    const notJson = "{ truncated";
    const notJsonHash = kubeHash(notJson);
    await cache.write(notJsonHash, notJson);
    expect(await cache.read(notJsonHash)).toBeUndefined();
    expect(cache.stats).toEqual({ hits: 0, misses: 2, rejected: 2 });
  });

  it("checks an opaque hash (not a digest of the content) against the SHA-256 recorded beside the entry", async () => {
    const cache = createDocumentCache(dir);
    await cache.write("v42", body);
    expect((await readdir(dir)).sort()).toEqual(["v42.json", "v42.sha256"]);
    expect(await cache.read("v42")).toBe(body);
    await writeFile(join(dir, "v42.json"), JSON.stringify({ other: true }));
    expect(await cache.read("v42")).toBeUndefined();
  });

  it("never lets a hash choose a path outside the cache folder", async () => {
    const cache = createDocumentCache(join(dir, "openapi"));
    await cache.write("../../escape", body);
    const names = await readdir(join(dir, "openapi"));
    expect(names.every((name) => /^h-[0-9a-f]{64}\.(json|sha256)$/.test(name))).toBe(true);
    expect(await cache.read("../../escape")).toBe(body);
  });

  it("writes atomically: no temporary file is left behind", async () => {
    const cache = createDocumentCache(dir);
    await Promise.all([cache.write(kubeHash(body), body), cache.write(kubeHash(body), body)]);
    expect(await readdir(dir)).toEqual([`${kubeHash(body)}.json`]);
    expect(await readFile(join(dir, `${kubeHash(body)}.json`), "utf8")).toBe(body);
  });

  it("defaults to <XDG_CACHE_HOME or ~/.cache>/kubetyped/openapi, or $KUBETYPED_CACHE_DIR/openapi", () => {
    expect(defaultOpenApiCacheDir({ XDG_CACHE_HOME: join(dir, "xdg") })).toBe(join(dir, "xdg", "kubetyped", "openapi"));
    expect(defaultOpenApiCacheDir({ HOME: join(dir, "home") })).toBe(join(dir, "home", ".cache", "kubetyped", "openapi"));
    expect(defaultOpenApiCacheDir({ KUBETYPED_CACHE_DIR: join(dir, "kt"), XDG_CACHE_HOME: join(dir, "xdg") })).toBe(join(dir, "kt", "openapi"));
  });
});
