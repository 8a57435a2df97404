import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSnapshotFetcher, DISCOVERY_ACCEPT, loadSources, SourceError } from "../../../generator/sources/index.js";
import { tableFetcher } from "./fixtures.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "kubetyped-snapshot-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function listFiles(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(root, join(dir, entry.name)) : [relative(root, join(dir, entry.name))])),
  );
  return nested.flat().sort();
}

const aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const aggregatedApis = {
  kind: "APIGroupDiscoveryList",
  apiVersion: "apidiscovery.k8s.io/v2",
  items: [
    {
      metadata: { name: "batch" },
      versions: [
        {
          version: "v1",
          resources: [{ resource: "jobs", responseKind: { group: "batch", version: "v1", kind: "Job" }, scope: "Namespaced", verbs: ["get"] }],
        },
      ],
    },
  ],
};
const aggregatedCore = { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", items: [{ metadata: { name: "" }, versions: [] }] };

function serverWithAggregatedDiscovery() {
  return tableFetcher({
    "/version": { major: "1", minor: "30", gitVersion: "v1.30.1" },
    "/api": { status: 200, contentType: aggregatedContentType, body: JSON.stringify(aggregatedCore) },
    "/apis": { status: 200, contentType: aggregatedContentType, body: JSON.stringify(aggregatedApis) },
    "/openapi/v3": { paths: { "apis/batch/v1": { serverRelativeURL: "/openapi/v3/apis/batch/v1?hash=H1" } } },
    "/openapi/v3/apis/batch/v1?hash=H1": { openapi: "3.0.0", info: { title: "k", version: "1" }, paths: {}, components: { schemas: { Job: { type: "object" } } } },
  });
}

describe("snapshot recording and replay", () => {
  it("records every answer the generator reads, aggregated discovery under <path>.aggregated.json, and replays it identically", async () => {
    const live = await loadSources({ fetcher: serverWithAggregatedDiscovery(), record: folder });
    expect(await listFiles(folder)).toEqual([
      "api.aggregated.json",
      "apis.aggregated.json",
      join("openapi", "v3.json"),
      join("openapi", "v3", "apis", "batch", "v1.json"),
      "version.json",
    ]);

    const replayed = await loadSources({ from: folder });
    expect({ ...replayed, origin: "" }).toEqual({ ...live, origin: "" });
    expect(replayed.origin).toBe(`snapshot ${folder}`);
    expect(replayed.hashes.get("batch/v1")).toBe("H1");
  });

  it("serves the aggregated file only to a request that accepts aggregated discovery", async () => {
    await loadSources({ fetcher: serverWithAggregatedDiscovery(), record: folder });
    const snapshot = createSnapshotFetcher(folder);
    const aggregated = await snapshot.get("/apis", DISCOVERY_ACCEPT);
    expect(aggregated).toMatchObject({ status: 200, contentType: expect.stringContaining("as=APIGroupDiscoveryList") });
    expect(JSON.parse(aggregated.body)).toEqual(aggregatedApis);
    expect((await snapshot.get("/apis", "application/json")).status).toBe(404);
  });

  it("records bodies byte for byte and answers 404 for what is not recorded", async () => {
    await loadSources({ fetcher: serverWithAggregatedDiscovery(), record: folder });
    expect(await readFile(join(folder, "apis.aggregated.json"), "utf8")).toBe(JSON.stringify(aggregatedApis));
    const snapshot = createSnapshotFetcher(folder);
    expect((await snapshot.get("/openapi/v2")).status).toBe(404);
    expect((await snapshot.get("/apis/batch/v1")).status).toBe(404);
  });

  it("refuses URL paths that would leave the snapshot folder", async () => {
    await expect(createSnapshotFetcher(folder).get("/api/../../etc/passwd")).rejects.toThrow(SourceError);
  });
});

describe("replaying /openapi/v3 from a snapshot", () => {
  it("hashes each document as the server does, so one edited after recording gets another hash", async () => {
    const { mkdir, writeFile } = await import("node:fs/promises");
    const { createHash } = await import("node:crypto");
    const document = '{"openapi":"3.0.0","components":{"schemas":{}}}';
    const serverHash = createHash("sha512").update(document).digest("hex").toUpperCase();
    await mkdir(join(folder, "openapi", "v3", "apis", "batch"), { recursive: true });
    await writeFile(join(folder, "openapi", "v3", "apis", "batch", "v1.json"), document);
    const index = { paths: { "apis/batch/v1": { serverRelativeURL: `/openapi/v3/apis/batch/v1?hash=${serverHash}` } } };
    await writeFile(join(folder, "openapi", "v3.json"), JSON.stringify(index));
    const replayed = async () => JSON.parse((await createSnapshotFetcher(folder).get("/openapi/v3")).body).paths["apis/batch/v1"].serverRelativeURL;

    expect(await replayed()).toBe(`/openapi/v3/apis/batch/v1?hash=${serverHash}`);
    await writeFile(join(folder, "openapi", "v3", "apis", "batch", "v1.json"), "<html>Bad gateway</html>");
    const edited = await replayed();
    expect(edited).toMatch(/^\/openapi\/v3\/apis\/batch\/v1\?hash=[0-9A-F]{128}$/);
    expect(edited).not.toContain(serverHash);
  });
});
