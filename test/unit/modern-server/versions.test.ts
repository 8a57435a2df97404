import { afterAll, beforeAll, expect, it } from "vitest";
import { DISCOVERY_ACCEPT } from "../../../generator/sources/fetcher.js";
import { startModernTestServer, type KubernetesVersion, type ModernTestServer } from "../../support/modern-server/index.js";
import { describeWithSharedData } from "../../support/shared-data.js";
import { clientFor, header } from "./client.js";

const V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

describeWithSharedData("openapi-v3", "modern test server across versions", () => {
  const servers = new Map<KubernetesVersion, { server: ModernTestServer; client: ReturnType<typeof clientFor> }>();
  const versions: KubernetesVersion[] = ["1.23", "1.25", "1.30", "1.34", "1.35"];

  beforeAll(async () => {
    for (const version of versions) {
      const server = await startModernTestServer({ version });
      servers.set(version, { server, client: clientFor(server) });
    }
  });
  afterAll(async () => {
    for (const { server, client } of servers.values()) {
      await client.close();
      await server.close();
    }
  });
  const clientOf = (version: KubernetesVersion) => servers.get(version)!.client;

  it("1.23 lists its OpenAPI v3 documents by name only, without hashes", async () => {
    const index = JSON.parse((await clientOf("1.23").get("/openapi/v3")).body) as { Paths?: string[]; paths?: unknown };
    expect(index.paths).toBeUndefined();
    expect(index.Paths).toContain("apis/batch/v1");
    const document = await clientOf("1.23").get("/openapi/v3/apis/batch/v1");
    expect(document.status).toBe(200);
    expect(header(document, "cache-control")).toBe("no-cache, private");
  });

  it("1.25 answers the generator's Accept with legacy discovery", async () => {
    const answer = await clientOf("1.25").get("/apis", { accept: DISCOVERY_ACCEPT });
    expect(header(answer, "content-type")).toBe("application/json");
    expect(JSON.parse(answer.body)).toHaveProperty("kind", "APIGroupList");
  });

  it("1.30 serves v2 to the generator and v2beta1 to older clients", async () => {
    const v2 = await clientOf("1.30").get("/apis", { accept: DISCOVERY_ACCEPT });
    expect(JSON.parse(v2.body)).toHaveProperty("apiVersion", "apidiscovery.k8s.io/v2");
    const v2beta1 = await clientOf("1.30").get("/apis", { accept: `${V2BETA1},application/json` });
    expect(header(v2beta1, "content-type")).toBe(V2BETA1);
    expect(JSON.parse(v2beta1.body)).toHaveProperty("apiVersion", "apidiscovery.k8s.io/v2beta1");
  });

  it("changes a document's hash exactly when the document changes (1.34 → 1.35)", async () => {
    const indexOf = async (version: KubernetesVersion) =>
      (JSON.parse((await clientOf(version).get("/openapi/v3")).body) as { paths: Record<string, { serverRelativeURL: string }> }).paths;
    const [before, after] = [await indexOf("1.34"), await indexOf("1.35")];
    const common = Object.keys(before).filter((key) => after[key] !== undefined);
    expect(common.length).toBeGreaterThan(20);
    let changed = 0;
    for (const key of common) {
      const [bodyBefore, bodyAfter] = [(await clientOf("1.34").get(`/openapi/v3/${key}`)).body, (await clientOf("1.35").get(`/openapi/v3/${key}`)).body];
      const sameHash = before[key]!.serverRelativeURL === after[key]!.serverRelativeURL;
      expect([key, sameHash]).toEqual([key, bodyBefore === bodyAfter]);
      if (!sameHash) changed++;
    }
    expect(changed).toBeGreaterThan(0);
  });
});
