import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCircles, readSources, roomOf, upwardImports } from "../support/architecture.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const PRODUCT = ["runtime", "generator", "local-cluster"] as const;
const MAX_FUNCTION_LINES = 80;

/**
 * The rooms of the product, low to high: a room imports only rooms of a lower rank, so every arrow points
 * one way (ARCHITECTURE.md draws the same table). Equal ranks are siblings that must not import each other.
 */
const RANKS: Readonly<Record<string, number>> = {
  // runtime: pure building blocks first, then the wire, the REST seam, the clients on it, the facade last.
  "runtime/request": 0,
  "runtime/config": 0,
  "runtime/timers.ts": 0,
  // Server text made safe for a terminal: used by the runtime's Warning printer and the generator's CLI.
  "runtime/printable.ts": 0,
  "runtime/version.ts": 1,
  "runtime/selectors.ts": 1,
  "runtime/auth": 1,
  "runtime/api": 2,
  "runtime/transport": 3,
  "runtime/rest": 4,
  "runtime/watch": 5,
  "runtime/stream": 5,
  // Generated schema data interpreted (validate(), before-send): above the REST seam's errors, below the facade.
  "runtime/validate": 5,
  "runtime/informer": 6,
  "runtime/client": 6,
  // What controller authors get (work queue, controller, leader election, events, finalizers, wait): above the
  // informer and the clients, below the facade (it takes resource clients, never a KubeClient).
  "runtime/controller": 7,
  "runtime/kube-client.ts": 8,
  "runtime/connect.ts": 9,
  "runtime/errors.ts": 9,
  "runtime/index.ts": 10,
  // Where kubetyped caches things: a leaf shared by the generator's cache and the local control plane.
  "local-cluster/paths.ts": 0,
  // generator: sources → model → emit | write → generate → cli (it uses the runtime, never the reverse).
  "generator/files.ts": 10,
  "generator/toolchain.ts": 10,
  "generator/version.ts": 10,
  "generator/cache": 11,
  "generator/sources": 12,
  "generator/model": 13,
  "generator/emit": 14,
  "generator/write": 14,
  "generator/input-fingerprint.ts": 15,
  // Several targets read, fingerprinted and intersected for one generation.
  "generator/targets.ts": 16,
  "generator/generate.ts": 17,
  // `kubetyped check`: sources → model → emit into a scratch folder, then the project type-checked over it.
  "generator/check": 17,
  // `kubetyped validate`: manifests checked against the output folder's validators or a target's schemas.
  "generator/validate": 17,
  "generator/cli": 18,
  "generator/index.ts": 19,
  // The local control plane uses the runtime's public API; the CLI loads it on demand (dynamic import).
  "local-cluster": 20,
};

/** local-cluster is one room apart from its shared paths leaf. */
const room = (file: string) => (file.startsWith("local-cluster/") && file !== "local-cluster/paths.ts" ? "local-cluster" : roomOf(file));

describe("architecture of the product sources (runtime, generator, local-cluster)", () => {
  const facts = readSources(root, PRODUCT);
  const graph = new Map([...facts].map(([file, { imports }]) => [file, imports]));

  it("reads the whole product", () => {
    expect(facts.size).toBeGreaterThan(100);
    expect([...facts.keys()].some((file) => file.startsWith("local-cluster/"))).toBe(true);
  });

  it("has no import circle", () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = [...facts].flatMap(([file, { functions }]) => functions.filter((fn) => fn.lines > MAX_FUNCTION_LINES).map((fn) => `${file}:${fn.line} ${fn.name} (${fn.lines} lines)`));
    expect(long).toEqual([]);
  });

  it("never imports from a room to a higher one (request/ never imports transport/; the runtime never imports the generator)", () => {
    expect(upwardImports(facts, (name) => RANKS[name], room)).toEqual([]);
  });
});

describe("the checks themselves", () => {
  it("find a circle, and only real ones", () => {
    const circular = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    expect(importCircles(circular)).toEqual([["a", "b", "c"]]);
    expect(importCircles(new Map([["a", ["b"]], ["b", []]]))).toEqual([]);
  });

  it("find an import from a lower room to a higher one and from a room without a rank", () => {
    const facts = new Map([
      ["runtime/request/build.ts", { imports: ["runtime/transport/types.ts"], functions: [] }],
      ["runtime/transport/types.ts", { imports: ["runtime/request/method.ts", "runtime/nowhere/x.ts"], functions: [] }],
    ]);
    const found = upwardImports(facts, (name) => RANKS[name]);
    expect(found).toEqual([
      "runtime/request/build.ts -> runtime/transport/types.ts: runtime/request (rank 0) may not import runtime/transport (rank 3)",
      "runtime/transport/types.ts -> runtime/nowhere/x.ts: room runtime/nowhere has no rank",
    ]);
  });
});
