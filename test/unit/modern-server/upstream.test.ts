import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startModernTestServer, type ModernTestServer } from "../../support/modern-server/index.js";
import { describeWithSharedData, sharedK8sPath } from "../../support/shared-data.js";
import { clientFor, header } from "./client.js";

const V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

describeWithSharedData("discovery-upstream", "modern test server with the Kubernetes project's recorded discovery (1.31)", (recordings) => {
  const recorded = (file: string) => readFileSync(path.join(recordings, file), "utf8");
  let server: ModernTestServer;
  let client: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    server = await startModernTestServer({ version: "1.31", discovery: "upstream" });
    client = clientFor(server);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it("serves /apis as recorded, byte for byte, in v2 and v2beta1, with one ETag for both", async () => {
    const v2 = await client.get("/apis", { accept: V2 });
    const beta = await client.get("/apis", { accept: V2BETA1 });
    expect([v2.status, header(v2, "content-type")]).toEqual([200, V2]);
    expect(v2.body).toBe(recorded("aggregated_v2.json"));
    expect(beta.body).toBe(recorded("aggregated_v2beta1.json"));
    expect(header(v2, "etag")).toBe(header(beta, "etag"));
    expect((await client.get("/apis", { accept: V2, "if-none-match": header(v2, "etag")! })).status).toBe(304);
  });

  it("answers the legacy documents from the same recording, short names and categories included", async () => {
    const groups = JSON.parse((await client.get("/apis")).body) as { groups: Array<{ name: string; versions: Array<{ version: string }> }> };
    const list = JSON.parse(recorded("aggregated_v2.json")) as { items: Array<{ metadata: { name: string }; versions: Array<{ version: string }> }> };
    expect(groups.groups.map((group) => [group.name, group.versions.map((entry) => entry.version)])).toEqual(
      list.items.map((item) => [item.metadata.name, item.versions.map((entry) => entry.version)]),
    );
    const apps = JSON.parse((await client.get("/apis/apps/v1")).body) as { resources: Array<{ name: string; shortNames?: string[]; categories?: string[]; kind: string; group?: string; version?: string }> };
    expect(apps.resources.find((resource) => resource.name === "deployments")).toMatchObject({ shortNames: ["deploy"], categories: ["all"], kind: "Deployment" });
    expect(apps.resources.find((resource) => resource.name === "deployments/scale")).toMatchObject({ kind: "Scale", group: "autoscaling", version: "v1" });
    // The core group is not in the recording: derived from the 1.31 documents.
    expect(JSON.parse((await client.get("/api", { accept: V2 })).body).items[0].versions[0].version).toBe("v1");
  });

  it("serves OpenAPI for core and the recorded group/versions only, from the 1.31 documents", async () => {
    const index = JSON.parse((await client.get("/openapi/v3")).body) as { paths: Record<string, unknown> };
    const keys = Object.keys(index.paths);
    expect(keys).toHaveLength(32);
    expect(keys).toEqual(expect.arrayContaining(["api/v1", "apis/resource.k8s.io/v1alpha3", "apis/authentication.k8s.io/v1alpha1"]));
    // 1.31 has these documents, but the recorded server did not serve the group/versions.
    expect(keys).not.toContain("apis/coordination.k8s.io/v1alpha1");
    expect(keys).not.toContain("apis/storage.k8s.io/v1beta1");
    expect((await client.get("/openapi/v3/apis/storage.k8s.io/v1beta1")).status).toBe(404);
    const document = await client.get("/openapi/v3/apis/batch/v1");
    expect(JSON.parse(document.body)).toEqual(JSON.parse(readFileSync(sharedK8sPath("openapi-v3", "1.31", "apis", "batch", "v1.json"), "utf8")));
  });

  it("marks a faulted group Stale in the recorded list, and refuses upstream discovery for another version", async () => {
    const faulty = await startModernTestServer({ version: "1.31", discovery: "upstream", faults: { staleGroups: ["batch"] } });
    const faultyClient = clientFor(faulty);
    try {
      const list = JSON.parse((await faultyClient.get("/apis", { accept: V2 })).body) as { items: Array<{ metadata: { name: string }; versions: Array<{ freshness: string }> }> };
      const original = JSON.parse(recorded("aggregated_v2.json")) as typeof list;
      expect(list.items.find((item) => item.metadata.name === "batch")!.versions[0]!.freshness).toBe("Stale");
      expect(list.items.filter((item) => item.metadata.name !== "batch")).toEqual(original.items.filter((item) => item.metadata.name !== "batch"));
    } finally {
      await faultyClient.close();
      await faulty.close();
    }
    await expect(startModernTestServer({ version: "1.30", discovery: "upstream" })).rejects.toThrow(/1\.31-era recording; start the server with version "1\.31"/);
  });
});
