import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../generator/sources/canonical-json.js";
import { manifestChunks, serializeManifest, type Manifest } from "../../../generator/write/manifest.js";

describe("the manifest's bytes", () => {
  it("come out in pieces (a group/version of the summary at a time) that join to canonical JSON with two-space indent", () => {
    const groupVersions = Object.create(null) as Record<string, unknown>;
    groupVersions["core/v1"] = { types: { Pod: { spec: { type: "PodSpec", required: false } } }, resources: { pods: { verbs: ["get"], kind: "Pod", namespaced: true, subresources: {} } }, preferred: true };
    groupVersions["9"] = { preferred: false, resources: {}, types: { "10": {}, "2": { "": { required: true, type: "string" } } } };
    groupVersions["__proto__"] = { preferred: false, resources: {}, types: {} };
    groupVersions["empty"] = { preferred: false, resources: {}, types: {} };
    const manifest = {
      summary: { groupVersions },
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
    const chunks = [...manifestChunks(manifest)];
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks.join("")).toBe(`${canonicalJson(manifest, 2)}\n`);
    expect(serializeManifest(manifest)).toBe(chunks.join(""));
    expect(serializeManifest({ ...manifest, summary: { groupVersions: {} } })).toBe(`${canonicalJson({ ...manifest, summary: { groupVersions: {} } }, 2)}\n`);
  });
});
