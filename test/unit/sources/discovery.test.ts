import { describe, expect, it } from "vitest";
import {
  createSnapshotFetcher,
  discoverApi,
  parseGroupSelection,
  SourceError,
  type DiscoveredGroupVersion,
} from "../../../generator/sources/index.js";
import { LIVE_SNAPSHOT, liveSnapshotAvailable, tableFetcher } from "./fixtures.js";

const everything = parseGroupSelection(undefined);

function find(groupVersions: DiscoveredGroupVersion[], group: string, version: string) {
  const found = groupVersions.find((gv) => gv.group === group && gv.version === version);
  if (!found) throw new Error(`${group}/${version} not discovered`);
  return found;
}

describe.runIf(liveSnapshotAvailable())("legacy discovery from the recorded 1.20.2 server", () => {
  it("folds subresources into their parents, keeping their own kind and group/version", async () => {
    const result = await discoverApi(createSnapshotFetcher(LIVE_SNAPSHOT), { selection: everything });
    expect(result.aggregated).toBe(false);
    expect(result.skipped).toEqual([]);

    const jobs = find(result.groupVersions, "batch", "v1").resources.find((r) => r.plural === "jobs");
    expect(jobs).toMatchObject({ kind: "Job", namespaced: true, singular: "job", categories: ["all"] });
    expect(jobs?.subresources).toEqual([{ name: "status", kind: "Job", verbs: ["get", "patch", "update"] }]);

    const deployments = find(result.groupVersions, "apps", "v1").resources.find((r) => r.plural === "deployments");
    expect(deployments?.subresources.find((s) => s.name === "scale")).toMatchObject({
      kind: "Scale",
      group: "autoscaling",
      version: "v1",
    });

    const core = find(result.groupVersions, "", "v1");
    expect(core.preferred).toBe(true);
    expect(core.resources.some((r) => r.plural.includes("/"))).toBe(false);
    const pods = core.resources.find((r) => r.plural === "pods");
    expect(pods?.subresources.map((s) => s.name)).toEqual(expect.arrayContaining(["status", "log", "exec", "eviction", "binding"]));
    expect(pods?.subresources.find((s) => s.name === "eviction")).toMatchObject({ kind: "Eviction", group: "policy", version: "v1beta1" });
    const namespaces = core.resources.find((r) => r.plural === "namespaces");
    expect(namespaces?.namespaced).toBe(false);

    // Preferred version comes from /apis preferredVersion, not list position alone.
    expect(find(result.groupVersions, "events.k8s.io", "v1").preferred).toBe(true);
    expect(find(result.groupVersions, "events.k8s.io", "v1beta1").preferred).toBe(false);
    // CRDs are discovered like built-ins.
    expect(find(result.groupVersions, "cert-manager.io", "v1").resources.map((r) => r.kind)).toContain("Certificate");
  });

  it("walks only the selected group/versions", async () => {
    const fetcher = tableFetcher({}, createSnapshotFetcher(LIVE_SNAPSHOT));
    const result = await discoverApi(fetcher, { selection: parseGroupSelection(["batch/v1", "core"]) });
    expect(result.groupVersions.map((gv) => `${gv.group}/${gv.version}`).sort()).toEqual(["/v1", "batch/v1"]);
    expect(fetcher.requests.map((r) => r.path).sort()).toEqual(["/api", "/api/v1", "/apis", "/apis/batch/v1"]);
  });

  it("skips a group/version answering 503 with a warning, without failing", async () => {
    const fetcher = tableFetcher(
      { "/apis/batch/v1": { status: 503, body: "service unavailable" } },
      createSnapshotFetcher(LIVE_SNAPSHOT),
    );
    const result = await discoverApi(fetcher, { selection: parseGroupSelection(["batch", "apps"]) });
    expect(result.groupVersions.map((gv) => `${gv.group}/${gv.version}`)).toContain("apps/v1");
    expect(result.groupVersions.some((gv) => gv.group === "batch" && gv.version === "v1")).toBe(false);
    expect(result.skipped).toEqual([{ groupVersion: "batch/v1", reason: expect.stringContaining("HTTP 503 from /apis/batch/v1") }]);
    expect(result.warnings.join("\n")).toContain("skipped batch/v1");
  });

  it("rejects a --groups entry that matches nothing, listing what is served", async () => {
    const run = discoverApi(createSnapshotFetcher(LIVE_SNAPSHOT), { selection: parseGroupSelection(["batchh"]) });
    await expect(run).rejects.toThrow(SourceError);
    await expect(run).rejects.toThrow(/batchh matches no served group\/version; served: .*batch\/v1/);
  });

  it("names the URL when a discovery document is not JSON", async () => {
    const fetcher = tableFetcher(
      { "/apis/batch/v1": { status: 200, contentType: "text/html", body: "<html>proxy login</html>" } },
      createSnapshotFetcher(LIVE_SNAPSHOT),
    );
    await expect(discoverApi(fetcher, { selection: parseGroupSelection(["batch/v1"]) })).rejects.toThrow(
      /\/apis\/batch\/v1: expected a JSON document.*text\/html.*<html>proxy login/,
    );
  });
});

function aggregatedList(apiVersion: string, items: object[]) {
  return { kind: "APIGroupDiscoveryList", apiVersion, items };
}

const coreV2 = aggregatedList("apidiscovery.k8s.io/v2", [
  {
    metadata: { name: "" },
    versions: [
      {
        version: "v1",
        freshness: "Current",
        resources: [
          {
            resource: "pods",
            responseKind: { group: "", version: "v1", kind: "Pod" },
            scope: "Namespaced",
            singularResource: "pod",
            verbs: ["get", "list"],
            shortNames: ["po"],
            categories: ["all"],
            subresources: [
              { subresource: "status", responseKind: { group: "", version: "v1", kind: "Pod" }, verbs: ["get", "patch"] },
              { subresource: "eviction", responseKind: { group: "policy", version: "v1", kind: "Eviction" }, verbs: ["create"] },
            ],
          },
          { resource: "namespaces", responseKind: { group: "", version: "v1", kind: "Namespace" }, scope: "Cluster", verbs: ["get"] },
        ],
      },
    ],
  },
]);

const groupsV2beta1 = aggregatedList("apidiscovery.k8s.io/v2beta1", [
  {
    metadata: { name: "apps" },
    versions: [
      {
        version: "v1",
        resources: [
          {
            resource: "deployments",
            responseKind: { group: "apps", version: "v1", kind: "Deployment" },
            scope: "Namespaced",
            singularResource: "deployment",
            verbs: ["create", "get"],
            subresources: [
              { subresource: "scale", responseKind: { group: "autoscaling", version: "v1", kind: "Scale" }, verbs: ["get", "update"] },
            ],
          },
        ],
      },
    ],
  },
  {
    metadata: { name: "metrics.k8s.io" },
    versions: [{ version: "v1beta1", freshness: "Stale", resources: [] }],
  },
  {
    metadata: { name: "widgets.example.com" },
    versions: [
      { version: "v2", resources: [{ resource: "widgets", responseKind: { kind: "Widget" }, scope: "Cluster", verbs: ["list"] }] },
      { version: "v1", resources: [] },
    ],
  },
]);

describe("aggregated discovery", () => {
  it("parses v2 (/api) and v2beta1 (/apis) lists in one round trip each, skipping Stale versions", async () => {
    const fetcher = tableFetcher({ "/api": coreV2, "/apis": groupsV2beta1 });
    const result = await discoverApi(fetcher, { selection: everything });

    expect(result.aggregated).toBe(true);
    expect(fetcher.requests.map((r) => r.path).sort()).toEqual(["/api", "/apis"]);
    expect(fetcher.requests[0]?.accept).toMatch(/^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList,.*v=v2beta1.*,application\/json$/);

    const core = find(result.groupVersions, "", "v1");
    expect(core.resources.map((r) => r.plural)).toEqual(["namespaces", "pods"]);
    expect(core.resources[1]).toEqual({
      plural: "pods",
      singular: "pod",
      kind: "Pod",
      namespaced: true,
      verbs: ["get", "list"],
      shortNames: ["po"],
      categories: ["all"],
      subresources: [
        { name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] },
        { name: "status", kind: "Pod", verbs: ["get", "patch"] },
      ],
    });
    expect(core.resources[0]).toMatchObject({ namespaced: false, singular: "namespace", shortNames: [], subresources: [] });

    expect(find(result.groupVersions, "apps", "v1").resources[0]?.subresources).toEqual([
      { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "update"] },
    ]);
    expect(find(result.groupVersions, "widgets.example.com", "v2").preferred).toBe(true);
    expect(find(result.groupVersions, "widgets.example.com", "v1").preferred).toBe(false);

    expect(result.groupVersions.some((gv) => gv.group === "metrics.k8s.io")).toBe(false);
    expect(result.skipped).toEqual([{ groupVersion: "metrics.k8s.io/v1beta1", reason: expect.stringContaining("Stale") }]);
    expect(result.warnings).toEqual([expect.stringContaining("skipped metrics.k8s.io/v1beta1")]);
  });

  it("applies the group selection to aggregated answers", async () => {
    const fetcher = tableFetcher({ "/api": coreV2, "/apis": groupsV2beta1 });
    const result = await discoverApi(fetcher, { selection: parseGroupSelection(["apps"]) });
    expect(result.groupVersions.map((gv) => `${gv.group}/${gv.version}`)).toEqual(["apps/v1"]);
    expect(result.skipped).toEqual([]);
  });

  it("rejects an aggregated list of an unknown apiVersion, naming the URL and field", async () => {
    const fetcher = tableFetcher({ "/api": coreV2, "/apis": aggregatedList("apidiscovery.k8s.io/v3", []) });
    await expect(discoverApi(fetcher, { selection: everything })).rejects.toThrow(/^\/apis at \/apiVersion: aggregated discovery apiVersion "apidiscovery.k8s.io\/v3"/);
  });

  it("fails clearly when /apis itself does not answer 200", async () => {
    const fetcher = tableFetcher({ "/api": coreV2, "/apis": { status: 403, body: "forbidden" } });
    await expect(discoverApi(fetcher, { selection: everything })).rejects.toThrow(/\/apis: discovery answered HTTP 403/);
  });
});
