import { describe, expect, it } from "vitest";
import { inputFingerprint } from "../../../generator/cache/input-fingerprint.js";
import type { SourceSet } from "../../../generator/sources/types.js";

function sources(overrides: Partial<SourceSet> = {}): SourceSet {
  return {
    origin: "https://a.example",
    serverVersion: { major: "1", minor: "35", gitVersion: "v1.35.0" },
    groupVersions: [{ group: "batch", version: "v1", preferred: true, resources: [] }],
    openapi: { kind: "v3", documents: new Map() },
    hashes: new Map([["batch/v1", "H1"]]),
    skipped: [],
    warnings: [],
    ...overrides,
  };
}

describe("input fingerprint", () => {
  it("is equal for equal inputs, wherever they were read from and whatever was warned", async () => {
    expect(await inputFingerprint(sources(), {})).toBe(await inputFingerprint(sources({ origin: "snapshot ./x", warnings: ["w"] }), {}));
  });

  it("changes with a document hash, discovery, the server version and the options that shape output", async () => {
    const base = await inputFingerprint(sources(), {});
    const variants = await Promise.all([
      inputFingerprint(sources({ hashes: new Map([["batch/v1", "H2"]]) }), {}),
      inputFingerprint(sources({ groupVersions: [{ group: "batch", version: "v1", preferred: true, resources: [{ plural: "jobs", singular: "job", kind: "Job", namespaced: true, verbs: ["get"], shortNames: [], categories: [], subresources: [] }] }] }), {}),
      inputFingerprint(sources({ serverVersion: { major: "1", minor: "34", gitVersion: "v1.34.0" } }), {}),
      inputFingerprint(sources({ skipped: [{ groupVersion: "apps/v1", reason: "HTTP 503" }] }), {}),
      inputFingerprint(sources(), { groups: ["batch"] }),
      inputFingerprint(sources(), { runtimeImport: "./runtime.js" }),
      inputFingerprint(sources({ openapi: { kind: "v2", document: { swagger: "2.0", info: { title: "k", version: "1" }, paths: {} } } }), {}),
    ]);
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });
});
