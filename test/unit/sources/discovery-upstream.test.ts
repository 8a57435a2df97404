import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { createSnapshotFetcher, discoverApi, parseGroupSelection, type DiscoveredGroupVersion } from "../../../generator/sources/index.js";
import { loadOpenApiV3Folder } from "../../../generator/sources/openapi-folder.js";
import { describeWithSharedData, sharedK8sPath } from "../../support/shared-data.js";
import { tableFetcher } from "./fixtures.js";

/**
 * Aggregated discovery as the Kubernetes project itself recorded it (`../shared/k8s/discovery-upstream`: a
 * kube-apiserver of a 1.31-era commit asked for `/apis` as apidiscovery.k8s.io/v2 and v2beta1), served byte
 * for byte. The recording holds the named groups only, so `/api` (the core group) is answered by the real
 * 1.20.2 recording's legacy documents: one client meets both forms, as with a server whose `/api` is legacy.
 */
const ACCEPTED = (version: string) => `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

function upstreamFetcher(file: string, version: string, edit?: (list: { items: Array<{ metadata: { name: string }; versions: Array<{ version: string; freshness: string }> }> }) => void) {
  let body = readFileSync(path.join(sharedK8sPath("discovery-upstream"), file), "utf8");
  if (edit !== undefined) {
    const list = JSON.parse(body);
    edit(list);
    body = JSON.stringify(list);
  }
  return tableFetcher({ "/apis": { status: 200, contentType: ACCEPTED(version), body } }, createSnapshotFetcher(sharedK8sPath("live", "v1.20.2-with-crds")));
}

const key = (gv: { group: string; version: string }) => `${gv.group || "core"}/${gv.version}`;

/** Resources and subresources as comparable facts: kind, scope, verbs (sorted), body group/version. */
function facts(gv: DiscoveredGroupVersion): Record<string, string> {
  return Object.fromEntries(
    gv.resources.flatMap((resource) => [
      [resource.plural, `${resource.kind} namespaced=${resource.namespaced} ${[...resource.verbs].sort().join(",")}`],
      ...resource.subresources.map((sub) => [`${resource.plural}/${sub.name}`, `${sub.kind} ${sub.group ?? "-"}/${sub.version ?? "-"} ${[...sub.verbs].sort().join(",")}`]),
    ]),
  );
}

describeWithSharedData("discovery-upstream", "aggregated discovery recorded by the Kubernetes project (v2 and v2beta1)", () => {
  let v2: Awaited<ReturnType<typeof discoverApi>>;
  let fetcher: ReturnType<typeof upstreamFetcher>;
  beforeAll(async () => {
    fetcher = upstreamFetcher("aggregated_v2.json", "v2");
    v2 = await discoverApi(fetcher, { selection: parseGroupSelection(undefined) });
  });

  it("reads all 22 groups and 31 group/versions of /apis in one round trip, core walked the legacy way", () => {
    expect(v2.aggregated).toBe(true);
    expect(fetcher.requests.filter((request) => request.path.startsWith("/apis"))).toEqual([{ path: "/apis", accept: expect.stringContaining("v=v2;as=APIGroupDiscoveryList") }]);
    const named = v2.groupVersions.filter((gv) => gv.group !== "");
    expect(new Set(named.map((gv) => gv.group)).size).toBe(22);
    expect(named).toHaveLength(31);
    expect(v2.groupVersions.some((gv) => gv.group === "" && gv.version === "v1")).toBe(true);
    expect(v2.skipped).toEqual([]);
  });

  it("takes kinds, scopes, verbs, short names, categories and subresource bodies as recorded", () => {
    const apps = v2.groupVersions.find((gv) => key(gv) === "apps/v1")!;
    expect(apps.resources.find((resource) => resource.plural === "deployments")).toEqual({
      plural: "deployments",
      singular: "deployment",
      kind: "Deployment",
      namespaced: true,
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      shortNames: ["deploy"],
      categories: ["all"],
      subresources: [
        { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] },
        // responseKind {group: "", version: ""}: the parent's own group/version.
        { name: "status", kind: "Deployment", verbs: ["get", "patch", "update"] },
      ],
    });
    const apiservices = v2.groupVersions.find((gv) => key(gv) === "apiregistration.k8s.io/v1")!.resources[0]!;
    expect([apiservices.plural, apiservices.namespaced, apiservices.categories]).toEqual(["apiservices", false, ["api-extensions"]]);
    const reviews = v2.groupVersions.find((gv) => key(gv) === "authentication.k8s.io/v1")!.resources.map((resource) => `${resource.plural}:${resource.verbs.join(",")}`);
    expect(reviews).toEqual(["selfsubjectreviews:create", "tokenreviews:create"]);
  });

  it("prefers the version listed first in each group", () => {
    const preferred = (group: string) => v2.groupVersions.filter((gv) => gv.group === group).map((gv) => `${gv.version}${gv.preferred ? "*" : ""}`);
    expect(preferred("autoscaling")).toEqual(["v2*", "v1"]);
    expect(preferred("flowcontrol.apiserver.k8s.io")).toEqual(["v1*", "v1beta3"]);
    expect(preferred("admissionregistration.k8s.io")).toEqual(["v1*", "v1beta1", "v1alpha1"]);
  });

  it("reads the v2beta1 recording to the same result", async () => {
    const beta = await discoverApi(upstreamFetcher("aggregated_v2beta1.json", "v2beta1"), { selection: parseGroupSelection(undefined) });
    expect(beta.groupVersions).toEqual(v2.groupVersions);
  });

  it("applies --groups to it and skips a group/version the aggregator marks Stale", async () => {
    const selected = await discoverApi(upstreamFetcher("aggregated_v2.json", "v2"), { selection: parseGroupSelection(["apps", "batch/v1", "core/v1"]) });
    expect(selected.groupVersions.map(key).sort()).toEqual(["apps/v1", "batch/v1", "core/v1"]);
    const stale = await discoverApi(
      upstreamFetcher("aggregated_v2.json", "v2", (list) => {
        list.items.find((item) => item.metadata.name === "batch")!.versions[0]!.freshness = "Stale";
      }),
      { selection: parseGroupSelection(undefined) },
    );
    expect(stale.groupVersions.some((gv) => key(gv) === "batch/v1")).toBe(false);
    expect(stale.skipped).toEqual([{ groupVersion: "batch/v1", reason: expect.stringContaining("Stale") }]);
  });

  it("agrees with discovery derived from the 1.31 OpenAPI documents, except where the API changed before 1.31 shipped", async () => {
    const derived = (await loadOpenApiV3Folder(sharedK8sPath("openapi-v3", "1.31"))).groupVersions;
    const differences: string[] = [];
    for (const recorded of v2.groupVersions.filter((gv) => gv.group !== "")) {
      const other = derived.find((gv) => key(gv) === key(recorded));
      if (other === undefined) {
        differences.push(`${key(recorded)}: no 1.31 document`);
        continue;
      }
      if (other.preferred !== recorded.preferred) differences.push(`${key(recorded)}: preferred ${recorded.preferred} vs ${other.preferred}`);
      const [a, b] = [facts(recorded), facts(other)];
      for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (a[name] !== b[name]) differences.push(`${key(recorded)} ${name}: recorded ${a[name] ?? "-"}, derived ${b[name] ?? "-"}`);
      }
    }
    // The recording's commit predates 1.31's DRA rework: ResourceClass and the *Parameters kinds were replaced by DeviceClass.
    expect(differences).toEqual([
      "resource.k8s.io/v1alpha3 resourceclaimparameters: recorded ResourceClaimParameters namespaced=true create,delete,deletecollection,get,list,patch,update,watch, derived -",
      "resource.k8s.io/v1alpha3 resourceclasses: recorded ResourceClass namespaced=false create,delete,deletecollection,get,list,patch,update,watch, derived -",
      "resource.k8s.io/v1alpha3 resourceclassparameters: recorded ResourceClassParameters namespaced=true create,delete,deletecollection,get,list,patch,update,watch, derived -",
      "resource.k8s.io/v1alpha3 deviceclasses: recorded -, derived DeviceClass namespaced=false create,delete,deletecollection,get,list,patch,update,watch",
    ]);
  }, 60_000);
});
