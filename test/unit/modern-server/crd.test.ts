import { readFileSync } from "node:fs";
import path from "node:path";
import type { OpenAPIV3 } from "openapi-types";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deriveDiscoveryFromOpenApiV3 } from "../../../generator/sources/derive-discovery.js";
import { startModernTestServer, type ModernTestServer } from "../../support/modern-server/index.js";
import { describeWithSharedData, sharedK8sPath } from "../../support/shared-data.js";
import { clientFor } from "./client.js";

const CRD_GROUP_VERSIONS = ["acme.cert-manager.io/v1", "cert-manager.io/v1", "batch.x-k8s.io/v1alpha1"];

interface RecordedResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

/**
 * The same CRD files were installed on the real 1.20.2 server recorded in ../shared/k8s/live: its discovery
 * and `/openapi/v2` show how a real API server publishes them.
 */
describeWithSharedData("live/v1.20.2-with-crds", "CRD groups on the modern test server, against the real 1.20.2 recording", (live) => {
  let server: ModernTestServer;
  let client: ReturnType<typeof clientFor>;
  const recorded = (relative: string) => JSON.parse(readFileSync(path.join(live, relative), "utf8")) as unknown;

  beforeAll(async () => {
    server = await startModernTestServer({
      version: "1.35",
      crds: [sharedK8sPath("crds", "cert-manager.crds.yaml"), sharedK8sPath("crds", "jobset.yaml")],
    });
    client = clientFor(server);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it("serves the same legacy discovery for the CRD groups as the real server (storage hashes aside)", async () => {
    for (const gv of CRD_GROUP_VERSIONS) {
      const served = JSON.parse((await client.get(`/apis/${gv}`)).body) as { resources: RecordedResource[] };
      const real = recorded(`apis/${gv}.json`) as { resources: Array<RecordedResource & { storageVersionHash?: string }> };
      const withoutHash = real.resources.map(({ storageVersionHash: _hash, ...rest }) => rest);
      const byName = (list: RecordedResource[]) => [...list].sort((a, b) => (a.name < b.name ? -1 : 1));
      expect([gv, byName(served.resources)]).toEqual([gv, byName(withoutHash)]);
    }
  });

  it("lists the CRD groups with the real server's preferred versions", async () => {
    const served = JSON.parse((await client.get("/apis")).body) as { groups: Array<{ name: string; preferredVersion: { version: string } }> };
    const real = recorded("apis.json") as { groups: Array<{ name: string; preferredVersion: { version: string } }> };
    const crdGroups = (groups: Array<{ name: string; preferredVersion: { version: string } }>) =>
      groups.filter((group) => /cert-manager|x-k8s/.test(group.name)).map((group) => `${group.name} ${group.preferredVersion.version}`);
    expect(crdGroups(served.groups)).toEqual(crdGroups(real.groups));
  });

  it("names CRD schemas as the real server does (io.cert-manager.v1.Certificate), with their group/version/kind", async () => {
    const definitions = (recorded("openapi/v2.json") as { definitions: Record<string, { "x-kubernetes-group-version-kind"?: unknown }> }).definitions;
    const realNames = Object.keys(definitions).filter((name) => /^io\.(cert-manager|x-k8s)\./.test(name)).sort();
    const servedSchemas: Record<string, OpenAPIV3.SchemaObject & { "x-kubernetes-group-version-kind"?: unknown }> = {};
    for (const gv of CRD_GROUP_VERSIONS) {
      const document = JSON.parse((await client.get(`/openapi/v3/apis/${gv}`)).body) as OpenAPIV3.Document;
      Object.assign(servedSchemas, document.components?.schemas ?? {});
    }
    expect(Object.keys(servedSchemas).filter((name) => /^io\.(cert-manager|x-k8s)\./.test(name)).sort()).toEqual(realNames);
    for (const name of realNames) {
      expect([name, servedSchemas[name]!["x-kubernetes-group-version-kind"]]).toEqual([name, definitions[name]!["x-kubernetes-group-version-kind"]]);
    }
    expect(servedSchemas["io.cert-manager.v1.Certificate"]!.properties!["metadata"]).toEqual(
      expect.objectContaining({ allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }] }),
    );
    expect(servedSchemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]).toBeDefined();
  });

  it("publishes the same paths for the CRDs as the real server, minus watch paths", async () => {
    const realPaths = Object.keys((recorded("openapi/v2.json") as { paths: Record<string, unknown> }).paths).filter((p) =>
      CRD_GROUP_VERSIONS.some((gv) => p.startsWith(`/apis/${gv}/`)),
    );
    const servedPaths: string[] = [];
    for (const gv of CRD_GROUP_VERSIONS) {
      const document = JSON.parse((await client.get(`/openapi/v3/apis/${gv}`)).body) as OpenAPIV3.Document;
      servedPaths.push(...Object.keys(document.paths));
    }
    expect(servedPaths.sort()).toEqual(realPaths.sort());
  });

  it("publishes documents from which the served discovery can be derived (x-kubernetes-action, kinds, scopes)", async () => {
    const documents = new Map<string, OpenAPIV3.Document>();
    for (const gv of CRD_GROUP_VERSIONS) documents.set(gv, JSON.parse((await client.get(`/openapi/v3/apis/${gv}`)).body) as OpenAPIV3.Document);
    const derived = deriveDiscoveryFromOpenApiV3(documents);
    for (const gv of derived) {
      const served = server.catalog.byGroupVersion.get(`${gv.group}/${gv.version}`)!;
      const facts = (resources: typeof gv.resources | typeof served.resources) =>
        resources
          .map((r) => `${r.plural} ${r.kind} ${r.namespaced} ${[...r.verbs].sort().join(",")} ${r.subresources.map((s) => `${s.name}:${s.kind}:${[...s.verbs].sort().join(",")}`).join(" ")}`)
          .sort();
      expect([gv.group, facts(gv.resources)]).toEqual([gv.group, facts(served.resources)]);
    }
  });
});
