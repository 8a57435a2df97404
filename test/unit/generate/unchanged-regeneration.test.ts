import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { generate } from "../../../generator/generate.js";
import type { FetchedDocument } from "../../../generator/sources/index.js";
import { listTree } from "../../../generator/write/index.js";
import { makeTempDir } from "../../support/tmp.js";
import { tableFetcher } from "../sources/fixtures.js";

/**
 * An unchanged regeneration must not parse (nor, from a cluster, fetch or read from the cache) any OpenAPI
 * document: the fingerprint is taken from the documents' hashes. These tests watch JSON.parse for the
 * documents' texts, and the fetcher for document requests.
 */
const input = fileURLToPath(new URL("../../golden/crd-two-versions/input", import.meta.url));
const documentFiles = ["apis/example.com/v1.json", "apis/example.com/v1beta1.json", "apis/autoscaling/v1.json"];

async function readTree(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of await listTree(folder)) files[file] = await readFile(path.join(folder, file), "utf8");
  return files;
}

let parse: MockInstance<typeof JSON.parse>;
beforeEach(() => {
  parse = vi.spyOn(JSON, "parse");
});
afterEach(() => {
  parse.mockRestore();
});

/** How many times JSON.parse was given one of `texts` since the last reset. */
const parsesOf = (texts: readonly string[]) => parse.mock.calls.filter(([text]) => texts.includes(text)).length;

describe("regenerating from an unchanged OpenAPI folder", () => {
  let folder: string;
  let out: string;
  let texts: string[];
  beforeEach(async () => {
    const root = await makeTempDir("unchanged-folder-");
    folder = path.join(root, "input");
    out = path.join(root, "generated");
    await cp(input, folder, { recursive: true });
    texts = await Promise.all(documentFiles.map((file) => readFile(path.join(folder, file), "utf8")));
  });

  it("reuses the whole output without parsing any document, and still parses them when generating", async () => {
    const first = await generate({ from: folder, out, groups: ["example.com"] });
    expect(first.reused.all).toBe(false);
    expect(parsesOf(texts)).toBe(texts.length);
    const tree = await readTree(out);

    parse.mockClear();
    const again = await generate({ from: folder, out, groups: ["example.com"] });
    expect(again).toMatchObject({ reused: { all: true }, written: false, changes: [], groupVersions: first.groupVersions });
    expect(parsesOf(texts)).toBe(0);
    expect(await readTree(out)).toEqual(tree);
  });

  it("regenerates when a document is replaced by a file of the same name with other bytes", async () => {
    await generate({ from: folder, out, groups: ["example.com"] });
    const file = path.join(folder, "apis/example.com/v1beta1.json");
    // The same document, only without whitespace: the bytes (and hash) differ, the modules do not (the
    // manifest, which records the hash, does).
    const compact = JSON.stringify(JSON.parse(await readFile(file, "utf8")));
    await writeFile(file, compact);

    parse.mockClear();
    const after = await generate({ from: folder, out, groups: ["example.com"] });
    expect(after.reused.all).toBe(false);
    expect(after.changes).toEqual([{ path: "manifest.json", change: "changed" }]);
    expect(parsesOf([compact])).toBe(1);

    expect((await generate({ from: folder, out, groups: ["example.com"] })).reused.all).toBe(true);
  });

  it("reads back only the summary of the group/version that changed, and reports against it", async () => {
    await generate({ from: folder, out, groups: ["example.com"] });
    const summaries = (await listTree(out)).filter((file) => file.startsWith(".summary/"));
    expect(summaries).toEqual(expect.arrayContaining([".summary/example.com/v1.json", ".summary/example.com/v1beta1.json"]));
    const summaryTexts = Object.fromEntries(await Promise.all(summaries.map(async (file) => [file, await readFile(path.join(out, file), "utf8")] as const)));
    const file = path.join(folder, "apis/example.com/v1.json");
    const document = JSON.parse(await readFile(file, "utf8"));
    document.components.schemas["com.example.v1.Widget"].properties.spec.properties.colour = { type: "string" };
    await writeFile(file, JSON.stringify(document));

    parse.mockClear();
    const after = await generate({ from: folder, out, groups: ["example.com"] });
    for (const summary of summaries) expect(parsesOf([summaryTexts[summary]!]), summary).toBe(summary === ".summary/example.com/v1.json" ? 1 : 0);
    expect(after.report.entries).toEqual([{ change: "added", subject: "field", path: "example.com/v1 WidgetSpec.colour", breaking: false }]);
    expect(after.changes).toEqual([
      { path: ".summary/example.com/v1.json", change: "changed" },
      { path: "example.com/v1.ts", change: "changed" },
      // Its schema holds the new field: validators judge it (the report has no rule change: the field says it).
      { path: "example.com/v1.validate.ts", change: "changed" },
      { path: "manifest.json", change: "changed" },
    ]);
  });

  it("regenerates over a manifest reformatted by hand, writing it back as it was", async () => {
    await generate({ from: folder, out, groups: ["example.com"] });
    const text = await readFile(path.join(out, "manifest.json"), "utf8");
    await writeFile(path.join(out, "manifest.json"), JSON.stringify(JSON.parse(text)));
    const again = await generate({ from: folder, out, groups: ["example.com"] });
    expect(again).toMatchObject({ reused: { all: false }, changes: [{ path: "manifest.json", change: "changed" }], report: { entries: [] } });
    expect(await readFile(path.join(out, "manifest.json"), "utf8")).toBe(text);
  });

  it("refuses a previous manifest that is not JSON, naming it, and leaves the folder as it was", async () => {
    await generate({ from: folder, out, groups: ["example.com"] });
    await writeFile(path.join(out, "manifest.json"), "{ not json");
    const tree = await readTree(out);
    await expect(generate({ from: folder, out, groups: ["example.com"] })).rejects.toThrow(/manifest\.json: cannot read the previous manifest/);
    expect(await readTree(out)).toEqual(tree);
  });

  it("names the file of a document that is no longer JSON, and leaves the output as it was", async () => {
    await generate({ from: folder, out, groups: ["example.com"] });
    const tree = await readTree(out);
    const file = path.join(folder, "apis/example.com/v1.json");
    await writeFile(file, '{"openapi": "3.0.0", "paths": ');
    await expect(generate({ from: folder, out, groups: ["example.com"] })).rejects.toThrow(`${file}: not valid JSON`);
    expect(await readTree(out)).toEqual(tree);
  });
});

describe("regenerating from an unchanged cluster", () => {
  const kubeHash = (text: string) => createHash("sha512").update(text).digest("hex").toUpperCase();
  const body = (file: string) => readFileSync(path.join(input, file), "utf8");
  const resources = (kind: string, plural: string) => ({
    kind: "APIResourceList",
    resources: [{ name: plural, singularName: kind.toLowerCase(), namespaced: true, kind, verbs: ["get", "list"] }],
  });
  /** A cluster serving example.com v1 and v1beta1, with an /openapi/v3 index naming each document by hash. */
  function cluster(documents: { v1: string; v1beta1: string | FetchedDocument }) {
    const beta = typeof documents.v1beta1 === "string" ? documents.v1beta1 : "unavailable";
    const urls = {
      v1: `/openapi/v3/apis/example.com/v1?hash=${kubeHash(documents.v1)}`,
      v1beta1: `/openapi/v3/apis/example.com/v1beta1?hash=${kubeHash(beta)}`,
    };
    return tableFetcher({
      "/version": { major: "1", minor: "35", gitVersion: "v1.35.0" },
      "/api": { kind: "APIVersions", versions: [] },
      "/apis": { kind: "APIGroupList", groups: [{ name: "example.com", versions: [{ version: "v1" }, { version: "v1beta1" }], preferredVersion: { version: "v1" } }] },
      "/apis/example.com/v1": resources("Widget", "widgets"),
      "/apis/example.com/v1beta1": resources("Widget", "widgets"),
      "/openapi/v3": { paths: { "apis/example.com/v1": { serverRelativeURL: urls.v1 }, "apis/example.com/v1beta1": { serverRelativeURL: urls.v1beta1 } } },
      [urls.v1]: { status: 200, contentType: "application/json", body: documents.v1 },
      [urls.v1beta1]: typeof documents.v1beta1 === "string" ? { status: 200, contentType: "application/json", body: documents.v1beta1 } : documents.v1beta1,
    });
  }
  const documentRequests = (server: ReturnType<typeof cluster>) => server.requests.map((request) => request.path).filter((url) => url.startsWith("/openapi/v3/"));
  const v1 = body("apis/example.com/v1.json");
  const v1beta1 = body("apis/example.com/v1beta1.json");

  let root: string;
  beforeEach(async () => {
    root = await makeTempDir("unchanged-cluster-");
  });

  it("fetches no document, reads none from the cache and parses none when the index's hashes are unchanged", async () => {
    const out = path.join(root, "generated");
    const cacheDir = path.join(root, "cache");
    const first = await generate({ fetcher: cluster({ v1, v1beta1 }), out, cacheDir });
    expect(first).toMatchObject({ groupVersions: ["example.com/v1", "example.com/v1beta1"], cache: { hits: 0, misses: 2 } });

    parse.mockClear();
    const server = cluster({ v1, v1beta1 });
    const again = await generate({ fetcher: server, out, cacheDir });
    expect(again).toMatchObject({ reused: { all: true }, groupVersions: first.groupVersions, cache: { hits: 0, misses: 0, rejected: 0 }, serverVersion: "v1.35.0" });
    expect(documentRequests(server)).toEqual([]);
    expect(parsesOf([v1, v1beta1])).toBe(0);
  });

  it("regenerates when the index names a document by a new hash, fetching only that one", async () => {
    const out = path.join(root, "generated");
    const cacheDir = path.join(root, "cache");
    await generate({ fetcher: cluster({ v1, v1beta1 }), out, cacheDir });
    const changed = JSON.stringify(JSON.parse(v1beta1));
    const server = cluster({ v1, v1beta1: changed });
    const after = await generate({ fetcher: server, out, cacheDir });
    // Only the manifest changes: it records the new hash; the modules are the same bytes.
    expect(after).toMatchObject({ reused: { all: false }, changes: [{ path: "manifest.json", change: "changed" }], cache: { hits: 1, misses: 1 } });
    expect(documentRequests(server)).toEqual([`/openapi/v3/apis/example.com/v1beta1?hash=${kubeHash(changed)}`]);
  });

  it("does not take output missing a document that failed for unchanged, once the document answers again", async () => {
    const out = path.join(root, "generated");
    const failed = await generate({ fetcher: cluster({ v1, v1beta1: { status: 503, body: "unavailable" } }), out });
    expect(failed.groupVersions).toEqual(["example.com/v1"]);
    expect(failed.skipped).toEqual([expect.objectContaining({ groupVersion: "example.com/v1beta1", reason: expect.stringMatching(/^HTTP 503/) })]);

    // The index is the same as in the failed run; the document now answers.
    const answered = cluster({ v1, v1beta1: { status: 200, contentType: "application/json", body: v1beta1 } });
    const repaired = await generate({ fetcher: answered, out });
    expect(documentRequests(answered)).toContain(`/openapi/v3/apis/example.com/v1beta1?hash=${kubeHash("unavailable")}`);
    expect(repaired).toMatchObject({ reused: { all: false }, groupVersions: ["example.com/v1", "example.com/v1beta1"], skipped: [] });
  });

  it("still records every document into a --record snapshot when nothing changed", async () => {
    const out = path.join(root, "generated");
    await generate({ fetcher: cluster({ v1, v1beta1 }), out });
    const record = path.join(root, "snapshot");
    const again = await generate({ fetcher: cluster({ v1, v1beta1 }), out, record });
    expect(again.reused.all).toBe(true);
    expect(await readFile(path.join(record, "openapi/v3/apis/example.com/v1beta1.json"), "utf8")).toBe(v1beta1);
  });
});
