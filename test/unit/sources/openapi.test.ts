import { describe, expect, it } from "vitest";
import { createSnapshotFetcher, loadOpenApi, loadSources, type DiscoveredGroupVersion } from "../../../generator/sources/index.js";
import { LIVE_SNAPSHOT, liveSnapshotAvailable, tableFetcher } from "./fixtures.js";

const gv = (group: string, version: string): DiscoveredGroupVersion => ({ group, version, preferred: true, resources: [] });

function v3Document(schemaName: string, extraRef?: string) {
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.30.0" },
    paths: {},
    components: {
      schemas: {
        [schemaName]: { type: "object", properties: { spec: { $ref: extraRef ?? `#/components/schemas/${schemaName}Spec` } } },
        [`${schemaName}Spec`]: { type: "object" },
      },
    },
  };
}

const v3Index = {
  paths: {
    "api/v1": { serverRelativeURL: "/openapi/v3/api/v1?hash=CORE1" },
    "apis/batch/v1": { serverRelativeURL: "/openapi/v3/apis/batch/v1?hash=BATCH1" },
    "apis/apps/v1": { serverRelativeURL: "/openapi/v3/apis/apps/v1?hash=APPS1" },
    "apis/policy/v1": { serverRelativeURL: "/openapi/v3/apis/policy/v1?hash=POLICY1" },
  },
};

/** A server whose batch/v1 document moves to a new hash each time the index is read, `moves` times; 301 to stale ones. */
function movingServer(moves: number) {
  let indexReads = 0;
  const hash = () => `BATCH${Math.min(indexReads, moves + 1)}`;
  const progress: string[] = [];
  const fetcher = {
    origin: "moving",
    async get(path: string) {
      if (path === "/openapi/v3") {
        indexReads++;
        return { status: 200, body: JSON.stringify({ paths: { "apis/batch/v1": { serverRelativeURL: `/openapi/v3/apis/batch/v1?hash=${hash()}` } } }) };
      }
      // Still moving: whatever was listed is stale by the time it is fetched.
      if (indexReads <= moves || !path.endsWith(`hash=${hash()}`)) return { status: 301, body: "" };
      return { status: 200, body: JSON.stringify(v3Document("Job")) };
    },
  };
  return { fetcher, progress, indexReads: () => indexReads };
}

describe("OpenAPI v3 documents that move while they are read (CRDs being installed)", () => {
  it("reads the index again, pausing after the first time, until the document stays put", async () => {
    const server = movingServer(2);
    const result = await loadOpenApi(server.fetcher, [gv("batch", "v1")], { onProgress: (line) => server.progress.push(line) });
    expect(server.indexReads()).toBe(3);
    expect(result.hashes.get("batch/v1")).toBe("BATCH3");
    expect(server.progress).toContain("the OpenAPI documents are still changing; reading /openapi/v3 again in 1 s");
  });
});

describe("OpenAPI v3", () => {
  it("fetches only the chosen group/versions, keyed by module path, hashes taken from the index URLs", async () => {
    const fetcher = tableFetcher({
      "/openapi/v3": v3Index,
      "/openapi/v3/api/v1?hash=CORE1": v3Document("Pod"),
      "/openapi/v3/apis/batch/v1?hash=BATCH1": v3Document("Job"),
      "/openapi/v3/apis/apps/v1?hash=APPS1": v3Document("Deployment"),
    });
    const result = await loadOpenApi(fetcher, [gv("batch", "v1"), gv("", "v1")]);

    expect(fetcher.requests.map((r) => r.path).sort()).toEqual([
      "/openapi/v3",
      "/openapi/v3/api/v1?hash=CORE1",
      "/openapi/v3/apis/batch/v1?hash=BATCH1",
    ]);
    expect(result.openapi.kind).toBe("v3");
    if (result.openapi.kind !== "v3") return;
    expect([...result.openapi.documents.keys()]).toEqual(["batch/v1", "core/v1"]);
    expect(Object.keys(result.openapi.documents.get("batch/v1")?.components?.schemas ?? {})).toContain("Job");
    expect([...result.hashes]).toEqual([
      ["batch/v1", "BATCH1"],
      ["core/v1", "CORE1"],
    ]);
    expect(result.skipped).toEqual([]);
  });

  it("skips a group/version the index does not list or whose document fails, without failing the rest", async () => {
    const fetcher = tableFetcher({
      "/openapi/v3": v3Index,
      "/openapi/v3/apis/batch/v1?hash=BATCH1": v3Document("Job"),
      "/openapi/v3/apis/apps/v1?hash=APPS1": { status: 503, body: "unavailable" },
    });
    const result = await loadOpenApi(fetcher, [gv("batch", "v1"), gv("apps", "v1"), gv("example.com", "v1")]);
    expect(result.skipped).toEqual([
      { groupVersion: "apps/v1", reason: "HTTP 503 from /openapi/v3/apis/apps/v1?hash=APPS1" },
      { groupVersion: "example.com/v1", reason: "/openapi/v3 does not list apis/example.com/v1" },
    ]);
    expect(result.openapi.kind === "v3" && [...result.openapi.documents.keys()]).toEqual(["batch/v1"]);
  });

  it("names the URL when a document is not JSON", async () => {
    const fetcher = tableFetcher({
      "/openapi/v3": v3Index,
      "/openapi/v3/apis/batch/v1?hash=BATCH1": { status: 200, contentType: "application/octet-stream", body: "\u0008\u0001protobuf" },
    });
    await expect(loadOpenApi(fetcher, [gv("batch", "v1")])).rejects.toThrow(
      /^\/openapi\/v3\/apis\/batch\/v1\?hash=BATCH1: expected a JSON document.*application\/octet-stream/,
    );
  });

  it("rejects a dangling $ref, naming the URL and the JSON pointer of the reference", async () => {
    const fetcher = tableFetcher({
      "/openapi/v3": v3Index,
      "/openapi/v3/apis/batch/v1?hash=BATCH1": v3Document("Job", "#/components/schemas/io.k8s.Missing"),
    });
    await expect(loadOpenApi(fetcher, [gv("batch", "v1")])).rejects.toThrow(
      '/openapi/v3/apis/batch/v1?hash=BATCH1 at /components/schemas/Job/properties/spec/$ref: $ref "#/components/schemas/io.k8s.Missing" points to nothing',
    );
  });
});

describe("OpenAPI v2 fallback", () => {
  const v2 = {
    swagger: "2.0",
    info: { title: "Kubernetes", version: "v1.20.2" },
    paths: {},
    definitions: {
      "io.k8s.api.batch.v1.Job": {
        type: "object",
        properties: { spec: { $ref: "#/definitions/io.k8s.api.batch.v1.JobSpec" } },
        "x-kubernetes-group-version-kind": [{ group: "batch", kind: "Job", version: "v1" }],
      },
      "io.k8s.api.batch.v1.JobSpec": { type: "object", properties: { parallelism: { type: "integer" } } },
      "io.k8s.api.apps.v1.Deployment": {
        type: "object",
        "x-kubernetes-group-version-kind": [{ group: "apps", kind: "Deployment", version: "v1" }],
      },
    },
  };

  it("falls back to /openapi/v2 once when /openapi/v3 is 404, hashing what each group/version reaches", async () => {
    const fetcher = tableFetcher({ "/openapi/v2": v2 });
    const result = await loadOpenApi(fetcher, [gv("batch", "v1"), gv("apps", "v1"), gv("example.com", "v1")]);
    expect(fetcher.requests.map((r) => r.path)).toEqual(["/openapi/v3", "/openapi/v2"]);
    expect(result.openapi.kind).toBe("v2");
    const batch = result.hashes.get("batch/v1");
    const apps = result.hashes.get("apps/v1");
    expect(batch).toMatch(/^[0-9a-f]{64}$/);
    expect(apps).toMatch(/^[0-9a-f]{64}$/);
    expect(batch).not.toBe(apps);

    // A change in a definition batch/v1 reaches (JobSpec) changes only batch/v1's hash.
    const edited = structuredClone(v2);
    edited.definitions["io.k8s.api.batch.v1.JobSpec"].properties = { parallelism: { type: "string" } };
    const again = await loadOpenApi(tableFetcher({ "/openapi/v2": edited }), [gv("batch", "v1"), gv("apps", "v1")]);
    expect(again.hashes.get("batch/v1")).not.toBe(batch);
    expect(again.hashes.get("apps/v1")).toBe(apps);
  });

  it("fails naming both URLs when neither v3 nor v2 is served", async () => {
    await expect(loadOpenApi(tableFetcher({}), [gv("batch", "v1")])).rejects.toThrow(/\/openapi\/v2: neither \/openapi\/v3 \(404\) nor \/openapi\/v2 \(HTTP 404\)/);
  });
});

describe.runIf(liveSnapshotAvailable())("loadSources from the recorded 1.20.2 snapshot", () => {
  it("reads version, discovery and the v2 document, restricted to --groups", async () => {
    const fetcher = tableFetcher({}, createSnapshotFetcher(LIVE_SNAPSHOT));
    const sources = await loadSources({ fetcher, groups: ["batch/v1", "core/v1"] });
    expect(sources.serverVersion?.gitVersion).toBe("v1.20.2");
    expect(sources.groupVersions.map((g) => `${g.group}/${g.version}`).sort()).toEqual(["/v1", "batch/v1"]);
    expect(sources.openapi.kind).toBe("v2");
    expect([...sources.hashes.keys()]).toEqual(["batch/v1", "core/v1"]);
    expect(fetcher.requests.filter((r) => r.path === "/openapi/v2")).toHaveLength(1);
    expect(sources.skipped).toEqual([]);
  });
});
