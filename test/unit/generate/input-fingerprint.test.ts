import { describe, expect, it } from "vitest";
import { targetsFingerprint } from "../../../generator/input-fingerprint.js";
import type { SourceInputs } from "../../../generator/sources/types.js";

/** One target's fingerprint: what a generation from one source records. */
const inputFingerprint = (sources: SourceInputs, options: Parameters<typeof targetsFingerprint>[1]) => targetsFingerprint([{ label: "only", inputs: sources }], options);

function inputs(overrides: Partial<SourceInputs> = {}): SourceInputs {
  return {
    origin: "https://a.example",
    serverVersion: { major: "1", minor: "35", gitVersion: "v1.35.0" },
    discovery: [{ group: "batch", version: "v1", preferred: true, resources: [] }],
    openapi: "v3",
    hashes: new Map([["batch/v1", "H1"]]),
    skipped: [],
    warnings: [],
    ...overrides,
  };
}

describe("input fingerprint", () => {
  it("is equal for equal inputs, wherever they were read from and whatever was warned", async () => {
    expect(await inputFingerprint(inputs(), {})).toBe(await inputFingerprint(inputs({ origin: "snapshot ./x", warnings: ["w"] }), {}));
  });

  it("changes with a document hash, discovery, the server version and the options that shape output", async () => {
    const base = await inputFingerprint(inputs(), {});
    const variants = await Promise.all([
      inputFingerprint(inputs({ hashes: new Map([["batch/v1", "H2"]]) }), {}),
      inputFingerprint(inputs({ discovery: [{ group: "batch", version: "v1", preferred: true, resources: [{ plural: "jobs", singular: "job", kind: "Job", namespaced: true, verbs: ["get"], shortNames: [], categories: [], subresources: [] }] }] }), {}),
      inputFingerprint(inputs({ discovery: "derived" }), {}),
      inputFingerprint(inputs({ serverVersion: { major: "1", minor: "34", gitVersion: "v1.34.0" } }), {}),
      inputFingerprint(inputs({ skipped: [{ groupVersion: "apps/v1", reason: "HTTP 503" }] }), {}),
      inputFingerprint(inputs(), { groups: ["batch"] }),
      inputFingerprint(inputs(), { runtimeImport: "./runtime.js" }),
      inputFingerprint(inputs({ openapi: "v2", v2DocumentHash: "V2" }), {}),
    ]);
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it("with discovery derived from the documents, changes with any document's hash, an added document, or the whole v2 document", async () => {
    const derived = inputs({ discovery: "derived", hashes: new Map([["batch/v1", "H1"], ["core/v1", "C1"]]) });
    const base = await inputFingerprint(derived, {});
    const variants = await Promise.all([
      inputFingerprint({ ...derived, hashes: new Map([["batch/v1", "H1"], ["core/v1", "C2"]]) }, {}),
      inputFingerprint({ ...derived, hashes: new Map([["batch/v1", "H1"], ["core/v1", "C1"], ["apps/v1", "A1"]]) }, {}),
      inputFingerprint(inputs({ openapi: "v2", v2DocumentHash: "V1" }), {}),
      inputFingerprint(inputs({ openapi: "v2", v2DocumentHash: "V2" }), {}),
    ]);
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });
});
