import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../generator/sources/canonical-json.js";
import { serializeManifest, type Manifest } from "../../../generator/write/manifest.js";
import { summaryFiles } from "../../../generator/write/summary-files.js";
import type { ModelSummary } from "../../../generator/model/index.js";

describe("the manifest's bytes", () => {
  it("are canonical JSON with two-space indent and a final newline, without the API summary", () => {
    const manifest = {
      generator: "kubetyped",
      generatorVersion: "9.9.9",
      runtimeVersion: "^9.9.9",
      openapi: "v3",
      sourceHashes: { "z/v1": "1", "a/v1": "2" },
      skipped: [],
      files: ["b.ts", "a.ts"],
      fileHashes: {},
      clusterVersion: undefined,
    } as unknown as Manifest;
    expect(serializeManifest(manifest)).toBe(`${canonicalJson(manifest, 2)}\n`);
    expect(serializeManifest(manifest)).not.toContain("summary");
  });
});

describe("the summary files", () => {
  it("are one canonical JSON file per group/version under .summary/, whatever the keys", () => {
    const groupVersions = Object.create(null) as ModelSummary["groupVersions"];
    groupVersions["core/v1"] = { types: { Pod: { spec: { type: "PodSpec", required: false } } }, resources: { pods: { verbs: ["get"], kind: "Pod", namespaced: true, subresources: {} } }, preferred: true };
    groupVersions["__proto__/v1"] = { preferred: false, resources: {}, types: { "10": {}, "2": { "": { required: true, type: "string" } } } };
    const files = [...summaryFiles({ groupVersions })];
    expect(files.map((file) => file.path)).toEqual([".summary/core/v1.json", ".summary/__proto__/v1.json"]);
    expect(files[0]!.content).toBe(`${canonicalJson(groupVersions["core/v1"])}\n`);
    expect(JSON.parse(files[1]!.content)).toEqual(groupVersions["__proto__/v1"]);
  });
});
