import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emitModules } from "../../../generator/emit/index.js";
import { targetsFingerprint } from "../../../generator/input-fingerprint.js";
import { buildModel } from "../../../generator/model/index.js";
import { loadSources, openSources } from "../../../generator/sources/index.js";
import { CRD_LIST_PATH } from "../../../generator/sources/selectable-fields.js";
import { tableFetcher } from "./fixtures.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "kubetyped-selectable-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const objectSchema = (kind: string, group: string) => ({
  type: "object",
  properties: { apiVersion: { type: "string" }, kind: { type: "string" }, spec: { type: "object", properties: { color: { type: "string" } } } },
  "x-kubernetes-group-version-kind": [{ group, version: "v1", kind }],
});

/** A server with one built-in (batch/v1 jobs) and two custom resources, `widgets` listing selectable fields and `gizmos` none. */
function server(crdList: object | { status: number; body: string }, minor = "37") {
  return tableFetcher({
    "/version": { major: "1", minor, gitVersion: `v1.${minor}.0` },
    "/api": { kind: "APIVersions", versions: [] },
    "/apis": {
      kind: "APIGroupList",
      groups: [
        { name: "batch", versions: [{ groupVersion: "batch/v1", version: "v1" }], preferredVersion: { groupVersion: "batch/v1", version: "v1" } },
        { name: "demo.example.com", versions: [{ groupVersion: "demo.example.com/v1", version: "v1" }], preferredVersion: { groupVersion: "demo.example.com/v1", version: "v1" } },
      ],
    },
    "/apis/batch/v1": { kind: "APIResourceList", groupVersion: "batch/v1", resources: [{ name: "jobs", singularName: "job", namespaced: true, kind: "Job", verbs: ["list"] }] },
    "/apis/demo.example.com/v1": {
      kind: "APIResourceList",
      groupVersion: "demo.example.com/v1",
      resources: [
        { name: "widgets", singularName: "widget", namespaced: true, kind: "Widget", verbs: ["list", "watch"] },
        { name: "gizmos", singularName: "gizmo", namespaced: true, kind: "Gizmo", verbs: ["list"] },
      ],
    },
    "/openapi/v3": {
      paths: {
        "apis/batch/v1": { serverRelativeURL: "/openapi/v3/apis/batch/v1?hash=B1" },
        "apis/demo.example.com/v1": { serverRelativeURL: "/openapi/v3/apis/demo.example.com/v1?hash=D1" },
      },
    },
    "/openapi/v3/apis/batch/v1?hash=B1": { openapi: "3.0.0", info: { title: "k", version: "1" }, paths: {}, components: { schemas: { "io.k8s.api.batch.v1.Job": objectSchema("Job", "batch") } } },
    "/openapi/v3/apis/demo.example.com/v1?hash=D1": {
      openapi: "3.0.0",
      info: { title: "k", version: "1" },
      paths: {},
      components: { schemas: { "com.example.demo.v1.Widget": objectSchema("Widget", "demo.example.com"), "com.example.demo.v1.Gizmo": objectSchema("Gizmo", "demo.example.com") } },
    },
    [CRD_LIST_PATH]: crdList,
  });
}

const crd = (plural: string, selectableFields?: Array<{ jsonPath: string }>) => ({
  spec: { group: "demo.example.com", names: { plural, kind: plural }, versions: [{ name: "v1", served: true, storage: true, ...(selectableFields && { selectableFields }) }] },
});
const crdList = { kind: "CustomResourceDefinitionList", items: [crd("widgets", [{ jsonPath: ".spec.size" }, { jsonPath: ".spec.color" }]), crd("gizmos")] };

const descriptorLine = (text: string, name: string) => text.split("\n").find((line) => line.startsWith(`export const ${name} = defineResource<`));

describe("CRD selectableFields", () => {
  it("are read from the CRD objects into discovery, and a CRD version's paths (no leading dot, sorted) become the descriptor's third type argument", async () => {
    const sources = await loadSources({ fetcher: server(crdList) });
    const demo = sources.groupVersions.find((gv) => gv.group === "demo.example.com")!;
    expect(demo.resources.find((resource) => resource.plural === "widgets")?.selectableFields).toEqual(["spec.color", "spec.size"]);
    expect(demo.resources.find((resource) => resource.plural === "gizmos")?.selectableFields).toBeUndefined();
    expect(sources.warnings).toEqual([]);

    const files = emitModules(buildModel(sources));
    const demoModule = files.find((file) => file.path === "demo.example.com/v1.ts")!.content;
    expect(descriptorLine(demoModule, "widgets")).toBe('export const widgets = defineResource<Widget, {}, "spec.color" | "spec.size">()({');
    // A CRD that lists none, and a built-in, are emitted as before: any path.
    expect(descriptorLine(demoModule, "gizmos")).toBe("export const gizmos = defineResource<Gizmo>()({");
    expect(descriptorLine(files.find((file) => file.path === "batch/v1.ts")!.content, "jobs")).toBe("export const jobs = defineResource<Job>()({");
  });

  it("are recorded in a snapshot, whose replay gives byte-identical output", async () => {
    const live = await loadSources({ fetcher: server(crdList), record: folder });
    expect(JSON.parse(await readFile(join(folder, "apis/apiextensions.k8s.io/v1/customresourcedefinitions.json"), "utf8"))).toEqual(crdList);
    const replayed = await loadSources({ from: folder });
    expect(emitModules(buildModel(replayed))).toEqual(emitModules(buildModel(live)));
  });

  it("change the input fingerprint when a CRD's list changes, though no OpenAPI document does", async () => {
    const fingerprint = async (list: object) => targetsFingerprint([{ label: "cluster", inputs: (await openSources({ fetcher: server(list) })).inputs }], {});
    const fewer = { ...crdList, items: [crd("widgets", [{ jsonPath: ".spec.color" }])] };
    expect(await fingerprint(fewer)).not.toBe(await fingerprint(crdList));
  });

  it("forbidden (403): said once in the warnings, and every custom resource keeps taking any path", async () => {
    const sources = await loadSources({ fetcher: server({ status: 403, body: "forbidden" }) });
    expect(sources.warnings.filter((warning) => warning.includes("selectableFields"))).toEqual([
      `listing CustomResourceDefinitions was forbidden (403), so their selectableFields are unknown and fields() of custom resources accepts any field path; grant list on customresourcedefinitions.apiextensions.k8s.io to type them`,
    ]);
    const demoModule = emitModules(buildModel(sources)).find((file) => file.path === "demo.example.com/v1.ts")!.content;
    expect(descriptorLine(demoModule, "widgets")).toBe("export const widgets = defineResource<Widget>()({");
  });

  it("unreadable on a server before 1.30, which has none: nothing to say", async () => {
    for (const answer of [{ status: 403, body: "forbidden" }, { status: 404, body: "not found" }]) {
      expect((await loadSources({ fetcher: server(answer, "29") })).warnings).toEqual([]);
    }
  });

  it("absent (a snapshot recorded without them, 404): said once, alike live and replayed", async () => {
    const live = await loadSources({ fetcher: server({ status: 404, body: "not found" }), record: folder });
    const replayed = await loadSources({ from: folder });
    const said = (warnings: string[]) => warnings.filter((warning) => warning.includes("selectableFields"));
    expect(said(live.warnings)).toHaveLength(1);
    expect(said(live.warnings)[0]).toContain(`${CRD_LIST_PATH} answered 404 (a snapshot recorded by an older kubetyped lacks it: record it again)`);
    expect(said(replayed.warnings)).toEqual(said(live.warnings));
  });
});
