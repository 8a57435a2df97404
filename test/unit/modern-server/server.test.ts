import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DISCOVERY_ACCEPT } from "../../../generator/sources/fetcher.js";
import { startModernTestServer, type ModernTestServer } from "../../support/modern-server/index.js";
import { describeWithSharedData, sharedK8sPath } from "../../support/shared-data.js";
import { clientFor, header } from "./client.js";

const V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

interface AggregatedList {
  kind: string;
  apiVersion: string;
  items: Array<{
    metadata: { name?: string };
    versions: Array<{
      version: string;
      freshness?: string;
      resources: Array<{ resource: string; scope: string; verbs: string[]; responseKind: { kind: string }; subresources?: Array<{ subresource: string; verbs: string[] }> }>;
    }>;
  }>;
}

interface ResourceList {
  groupVersion: string;
  resources: Array<{ name: string; namespaced: boolean; kind: string; verbs: string[] }>;
}

/** The group/versions of a version folder, read from the file tree alone (`v1`, `batch/v1`, ...). */
function groupVersionsOnDisk(dir: string): string[] {
  const core = readdirSync(path.join(dir, "api")).map((file) => file.replace(/\.json$/, ""));
  const named = readdirSync(path.join(dir, "apis")).flatMap((group) =>
    readdirSync(path.join(dir, "apis", group)).map((file) => `${group}/${file.replace(/\.json$/, "")}`),
  );
  return [...core, ...named].sort();
}

describeWithSharedData("openapi-v3/1.35", "modern test server (1.35)", (dir) => {
  let server: ModernTestServer;
  let client: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    server = await startModernTestServer({
      version: "1.35",
      crds: [sharedK8sPath("crds", "cert-manager.crds.yaml"), sharedK8sPath("crds", "jobset.yaml")],
      faults: {
        unavailableGroups: ["acme.cert-manager.io"],
        staleGroups: ["batch.x-k8s.io"],
        slowPaths: { "/apis/policy/v1": 300 },
        dropConnectionPaths: ["/openapi/v3/apis/node.k8s.io/v1"],
      },
    });
    client = clientFor(server);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it("refuses requests without the bearer token with a 401 Status", async () => {
    for (const token of [null, "wrong-token"]) {
      const answer = await client.get("/apis", { accept: V2 }, { token });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toMatchObject({ kind: "Status", status: "Failure", reason: "Unauthorized", code: 401 });
      expect(answer.body).not.toContain(server.token);
    }
    expect((await client.get("/version")).status).toBe(200);
  });

  it("reports its version", async () => {
    expect(JSON.parse((await client.get("/version")).body)).toMatchObject({ major: "1", minor: "35", gitVersion: "v1.35.0" });
  });

  it("answers aggregated discovery v2 with its media type, and legacy JSON for plain JSON", async () => {
    const aggregated = await client.get("/apis", { accept: DISCOVERY_ACCEPT });
    expect(aggregated.status).toBe(200);
    expect(header(aggregated, "content-type")).toBe(V2);
    expect(header(aggregated, "vary")).toBe("Accept");
    const list = JSON.parse(aggregated.body) as AggregatedList;
    expect([list.kind, list.apiVersion]).toEqual(["APIGroupDiscoveryList", "apidiscovery.k8s.io/v2"]);

    const legacy = await client.get("/apis", { accept: "application/json" });
    expect(header(legacy, "content-type")).toBe("application/json");
    const groups = JSON.parse(legacy.body) as { kind: string; groups: Array<{ name: string; versions: Array<{ version: string }>; preferredVersion: { version: string } }> };
    expect(groups.kind).toBe("APIGroupList");
    // Both forms list the same groups, versions and preferred versions, in the same order.
    expect(list.items.map((item) => [item.metadata.name, item.versions.map((v) => v.version)])).toEqual(
      groups.groups.map((group) => [group.name, group.versions.map((v) => v.version)]),
    );
    expect(groups.groups.every((group) => group.preferredVersion.version === group.versions[0]!.version)).toBe(true);
    expect(groups.groups[0]!.name).toBe("apiregistration.k8s.io");

    const core = JSON.parse((await client.get("/api", { accept: DISCOVERY_ACCEPT })).body) as AggregatedList;
    expect(core.items.map((item) => [item.metadata.name ?? "", item.versions.map((v) => v.version)])).toEqual([["", ["v1"]]]);
    expect(JSON.parse((await client.get("/api")).body)).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
  });

  it("refuses v2beta1-only requests, as 1.33+ servers no longer serve it", async () => {
    const answer = await client.get("/apis", { accept: V2BETA1 });
    expect(answer.status).toBe(406);
    expect(JSON.parse(answer.body)).toMatchObject({ reason: "NotAcceptable" });
  });

  it("lists every group/version of the version folder, plus the CRD groups, in discovery and in /openapi/v3", async () => {
    const onDisk = groupVersionsOnDisk(dir);
    expect(onDisk).toHaveLength(36);
    const crdGroupVersions = ["acme.cert-manager.io/v1", "batch.x-k8s.io/v1alpha1", "cert-manager.io/v1"];
    const aggregated = [
      ...(JSON.parse((await client.get("/api", { accept: V2 })).body) as AggregatedList).items,
      ...(JSON.parse((await client.get("/apis", { accept: V2 })).body) as AggregatedList).items,
    ].flatMap((item) => item.versions.map((v) => (item.metadata.name ? `${item.metadata.name}/${v.version}` : v.version)));
    expect(aggregated.sort()).toEqual([...onDisk, ...crdGroupVersions].sort());

    const index = JSON.parse((await client.get("/openapi/v3")).body) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(index.paths).sort()).toEqual(
      [...onDisk, ...crdGroupVersions].map((gv) => (gv.includes("/") ? `apis/${gv}` : `api/${gv}`)).sort(),
    );
  });

  it("serves legacy APIResourceLists that agree with the aggregated entries", async () => {
    const list = JSON.parse((await client.get("/apis", { accept: V2 })).body) as AggregatedList;
    const apps = list.items.find((item) => item.metadata.name === "apps")!.versions[0]!;
    const legacy = JSON.parse((await client.get("/apis/apps/v1")).body) as ResourceList;
    expect(legacy.groupVersion).toBe("apps/v1");
    const fromAggregated = apps.resources.flatMap((r) => [
      `${r.resource} ${r.responseKind.kind} ${r.scope === "Namespaced"} ${r.verbs.join(",")}`,
      ...(r.subresources ?? []).map((s) => `${r.resource}/${s.subresource} ${s.verbs.join(",")}`),
    ]);
    const fromLegacy = legacy.resources.map((r) => (r.name.includes("/") ? `${r.name} ${r.verbs.join(",")}` : `${r.name} ${r.kind} ${r.namespaced} ${r.verbs.join(",")}`));
    expect(fromLegacy.sort()).toEqual(fromAggregated.sort());
    expect(fromLegacy).toContain("deployments/scale get,patch,update");

    const group = JSON.parse((await client.get("/apis/apps")).body);
    expect(group).toMatchObject({ kind: "APIGroup", name: "apps", preferredVersion: { groupVersion: "apps/v1", version: "v1" } });
    const core = JSON.parse((await client.get("/api/v1")).body) as ResourceList;
    expect(core.resources.find((r) => r.name === "pods")).toMatchObject({ namespaced: true, kind: "Pod" });
    expect(core.resources.map((r) => r.name)).toContain("pods/exec");
  });

  it("publishes OpenAPI documents under a hash of their exact bytes (upper-case hex SHA-512)", async () => {
    const index = JSON.parse((await client.get("/openapi/v3")).body) as { paths: Record<string, { serverRelativeURL: string }> };
    for (const key of ["api/v1", "apis/batch/v1", "apis/cert-manager.io/v1"]) {
      const url = index.paths[key]!.serverRelativeURL;
      expect(url).toMatch(new RegExp(`^/openapi/v3/${key.replace(/\./g, "\\.")}\\?hash=[0-9A-F]{128}$`));
      const answer = await client.get(url);
      expect(answer.status).toBe(200);
      const hash = createHash("sha512").update(answer.body).digest("hex").toUpperCase();
      expect(url.endsWith(`hash=${hash}`)).toBe(true);
      expect(JSON.parse(answer.body)).toHaveProperty("openapi", "3.0.0");
    }
  });

  it("marks hashed document URLs immutable, unhashed ones private, and redirects a stale hash", async () => {
    const index = JSON.parse((await client.get("/openapi/v3")).body) as { paths: Record<string, { serverRelativeURL: string }> };
    const url = index.paths["apis/batch/v1"]!.serverRelativeURL;
    const hashed = await client.get(url);
    expect(header(hashed, "cache-control")).toBe("public, immutable");
    const expires = Date.parse(header(hashed, "expires")!);
    expect(expires - Date.now()).toBeGreaterThan(360 * 24 * 3600 * 1000);
    const etag = header(hashed, "etag")!;
    expect(etag).toBe(`"${url.split("hash=")[1]}"`);

    const unhashed = await client.get("/openapi/v3/apis/batch/v1");
    expect(header(unhashed, "cache-control")).toBe("no-cache, private");
    expect(unhashed.body).toBe(hashed.body);

    const stale = await client.get(`/openapi/v3/apis/batch/v1?hash=${"0".repeat(128)}`);
    expect(stale.status).toBe(301);
    expect(header(stale, "location")).toBe(url);

    expect((await client.get(url, { "if-none-match": etag })).status).toBe(304);
  });

  it("answers 503 for the discovery and documents of an unavailable group, and keeps it in aggregated discovery", async () => {
    for (const url of ["/apis/acme.cert-manager.io/v1", "/apis/acme.cert-manager.io", "/openapi/v3/apis/acme.cert-manager.io/v1"]) {
      const answer = await client.get(url);
      expect([url, answer.status]).toEqual([url, 503]);
      expect(JSON.parse(answer.body)).toMatchObject({ kind: "Status", reason: "ServiceUnavailable", code: 503 });
    }
    const list = JSON.parse((await client.get("/apis", { accept: V2 })).body) as AggregatedList;
    expect(list.items.find((item) => item.metadata.name === "acme.cert-manager.io")?.versions[0]?.freshness).toBe("Current");
  });

  it("marks a stale group's aggregated entries Stale and every other Current", async () => {
    const list = JSON.parse((await client.get("/apis", { accept: V2 })).body) as AggregatedList;
    const freshness = list.items.flatMap((item) => item.versions.map((v) => [`${item.metadata.name}/${v.version}`, v.freshness]));
    expect(freshness.filter(([, value]) => value !== "Current")).toEqual([["batch.x-k8s.io/v1alpha1", "Stale"]]);
  });

  it("delays slow paths", async () => {
    const started = Date.now();
    expect((await client.get("/apis/policy/v1")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("drops the connection mid-answer on drop paths", async () => {
    await expect(client.get("/openapi/v3/apis/node.k8s.io/v1")).rejects.toThrow();
    expect((await client.get("/openapi/v3/apis/node.k8s.io/v1alpha1")).status).toBe(404);
  });

  it("counts requests per path, query left out, and can reset the counts", async () => {
    server.resetCounts();
    await client.get("/openapi/v3/apis/batch/v1?hash=x");
    await client.get("/openapi/v3/apis/batch/v1");
    await client.get("/version", {}, { token: null });
    expect(Object.fromEntries(server.requestCounts)).toEqual({ "/openapi/v3/apis/batch/v1": 2, "/version": 1 });
  });
});
