import { readFileSync } from "node:fs";
import path from "node:path";
import type { OpenAPIV2, OpenAPIV3 } from "openapi-types";
import { expect, it } from "vitest";
import { deriveDiscoveryFromOpenApiV2 } from "../../generator/sources/derive-discovery.js";
import type { DiscoveredGroupVersion } from "../../generator/sources/types.js";
import { describeWithSharedData } from "../support/shared-data.js";

/**
 * deriveDiscoveryFromOpenApiV2 against a real server: the 1.20.2 recording holds legacy discovery and
 * /openapi/v2 from the same kube-apiserver (with cert-manager and JobSet CRDs). Resources, kinds, scopes,
 * verbs (connect verbs of exec/attach/portforward/proxy included) and subresources with their body
 * group/version agree exactly. Known, systematic exceptions, not compared:
 * - short names and categories: OpenAPI does not carry them (derived lists are empty);
 * - singular names: 1.20 reports "" for built-in resources; where it reports one (CRDs) it is the
 *   lower-case kind, which is what derivation gives;
 * - CRDs publish no /watch/ paths, so `watch` is inferred for listable resources of group/versions
 *   that have no watch path at all (see toResource in derive-discovery.ts).
 */
interface RecordedResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** The recorded legacy discovery, as plain comparable data: `group/version` → plural → facts. */
function recordedDiscovery(dir: string) {
  const read = <T>(relative: string): T => JSON.parse(readFileSync(path.join(dir, relative), "utf8")) as T;
  const groupVersions: { group: string; version: string; preferred: boolean; resources: RecordedResource[] }[] = [];
  groupVersions.push({ group: "", version: "v1", preferred: true, resources: read<{ resources: RecordedResource[] }>("api/v1.json").resources });
  const apis = read<{ groups: { name: string; versions: { version: string }[]; preferredVersion: { version: string } }[] }>("apis.json");
  for (const group of apis.groups) {
    for (const { version } of group.versions) {
      const list = read<{ resources: RecordedResource[] }>(`apis/${group.name}/${version}.json`);
      groupVersions.push({ group: group.name, version, preferred: version === group.preferredVersion.version, resources: list.resources });
    }
  }
  return groupVersions;
}

/** Facts both sides can state, keyed for a readable diff. Short names and categories are not in OpenAPI. */
function comparable(
  groupVersions: { group: string; version: string; resources: { plural: string; kind: string; namespaced: boolean; verbs: string[]; subresources: { name: string; kind: string; group?: string; version?: string; verbs: string[] }[] }[] }[],
) {
  const facts: Record<string, string> = {};
  for (const gv of groupVersions) {
    for (const resource of gv.resources) {
      const id = `${gv.group || "core"}/${gv.version} ${resource.plural}`;
      facts[id] = `${resource.kind} namespaced=${resource.namespaced} verbs=${[...resource.verbs].sort().join(",")}`;
      for (const sub of resource.subresources) {
        const gvOfBody = sub.group !== undefined ? ` ${sub.group || "core"}/${sub.version}` : "";
        facts[`${id}/${sub.name}`] = `${sub.kind}${gvOfBody} verbs=${[...sub.verbs].sort().join(",")}`;
      }
    }
  }
  return facts;
}

function foldRecorded(recorded: ReturnType<typeof recordedDiscovery>) {
  return recorded.map((gv) => {
    const main = gv.resources.filter((r) => !r.name.includes("/"));
    return {
      ...gv,
      resources: main.map((r) => ({
        plural: r.name,
        kind: r.kind,
        namespaced: r.namespaced,
        verbs: r.verbs,
        singular: r.singularName,
        subresources: gv.resources
          .filter((s) => s.name.startsWith(`${r.name}/`))
          .map((s) => ({
            name: s.name.slice(r.name.length + 1),
            kind: s.kind,
            verbs: s.verbs,
            ...(s.group !== undefined && (s.group !== gv.group || s.version !== gv.version) ? { group: s.group, version: s.version } : {}),
          })),
      })),
    };
  });
}

describeWithSharedData("live/v1.20.2-with-crds", "discovery derived from /openapi/v2 paths agrees with the recorded discovery", (dir) => {
  const document = JSON.parse(readFileSync(path.join(dir, "openapi/v2.json"), "utf8")) as OpenAPIV2.Document;
  const derived: DiscoveredGroupVersion[] = deriveDiscoveryFromOpenApiV2(document);
  const recorded = foldRecorded(recordedDiscovery(dir));

  it("derives the same group/versions, resources, kinds, scopes, verbs and subresources", () => {
    expect(comparable(derived)).toEqual(comparable(recorded));
  });

  it("derives the singular name as the lower-case kind where the server reports one (CRDs)", () => {
    const derivedSingulars = new Map(derived.flatMap((gv) => gv.resources.map((r) => [`${gv.group}/${gv.version}/${r.plural}`, r.singular])));
    const recordedSingulars = recorded.flatMap((gv) =>
      gv.resources.filter((r) => r.singular !== "").map((r) => [`${gv.group}/${gv.version}/${r.plural}`, r.singular] as const),
    );
    expect(recordedSingulars.length).toBeGreaterThan(0);
    for (const [id, singular] of recordedSingulars) expect([id, derivedSingulars.get(id)]).toEqual([id, singular]);
  });

  it("prefers the most stable version of each group, as the server did", () => {
    const preferred = (list: { group: string; version: string; preferred: boolean }[]) =>
      Object.fromEntries(list.filter((gv) => gv.preferred).map((gv) => [gv.group, gv.version]));
    expect(preferred(derived)).toEqual(preferred(recorded));
  });
});

/** The 1.23 documents lack x-kubernetes-action and operation kinds; 1.24's have them: strip and compare. */
describeWithSharedData("openapi-v3/1.24", "discovery derived from documents without x-kubernetes-action", (dir) => {
  it("agrees with the derivation from the extensions, except the kinds of connect subresources", async () => {
    const { loadOpenApiV3Folder } = await import("../../generator/sources/openapi-folder.js");
    const { deriveDiscoveryFromOpenApiV3 } = await import("../../generator/sources/derive-discovery.js");
    const source = await loadOpenApiV3Folder(dir);
    const documents = (source.openapi as { documents: Map<string, OpenAPIV3.Document> }).documents;
    const stripped = new Map(
      [...documents].map(([key, document]) => [
        key,
        JSON.parse(JSON.stringify(document), (name, value: unknown) =>
          name === "x-kubernetes-action" || (name === "x-kubernetes-group-version-kind" && !Array.isArray(value)) ? undefined : value,
        ) as OpenAPIV3.Document,
      ]),
    );
    // Operations keep GVKs only as arrays on schemas; operation-level GVKs (objects) were removed above.
    const withoutConnectKinds = (facts: Record<string, string>) =>
      Object.fromEntries(Object.entries(facts).map(([id, fact]) => [id, /\/(attach|exec|portforward|proxy)$/.test(id) ? fact.replace(/^\S+/, "(connect)") : fact]));
    expect(withoutConnectKinds(comparable(deriveDiscoveryFromOpenApiV3(stripped)))).toEqual(withoutConnectKinds(comparable(source.groupVersions)));
  });
});
