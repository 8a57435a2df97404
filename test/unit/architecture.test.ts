import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCircles, loadedWith, propertyReads, readSources, roomOf, upwardImports, type PropertyRead } from "../support/architecture.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const PRODUCT = ["runtime", "generator", "local-cluster"] as const;
const MAX_FUNCTION_LINES = 60;

/**
 * The rooms of the product, low to high: a room imports only rooms of a lower rank, so every arrow points
 * one way (ARCHITECTURE.md draws the same table). Equal ranks are siblings that must not import each other.
 */
const RANKS: Readonly<Record<string, number>> = {
  // The kernel the runtime and the generator share (group/version spellings, the runtime's version line,
  // terminal-safe text, the cache root): below everything, importing nothing of either side.
  "runtime/core": 0,
  // runtime: pure building blocks first, then the wire, the REST seam, the clients on it, the facade last.
  "runtime/request": 1,
  "runtime/config": 1,
  "runtime/timers.ts": 1,
  // A server URL's trailing slashes, dropped in one place for config, transport, the REST seam and streams.
  "runtime/server-url.ts": 0,
  "runtime/selectors.ts": 2,
  "runtime/auth": 2,
  "runtime/api": 3,
  "runtime/transport": 4,
  "runtime/rest": 5,
  "runtime/watch": 6,
  "runtime/stream": 6,
  // Generated schema data interpreted (validate(), before-send): above the REST seam's errors, below the clients.
  "runtime/validate": 6,
  "runtime/informer": 7,
  "runtime/client": 7,
  // What controller authors get (work queue, controller, leader election, events, finalizers, wait): above the
  // informer and the clients, below the facade (it takes resource clients, never a KubeClient).
  "runtime/controller": 8,
  "runtime/kube-client.ts": 9,
  "runtime/connect.ts": 10,
  "runtime/errors.ts": 10,
  "runtime/index.ts": 11,
  // The subpath exports (kubetyped/runtime/controller, /streams, /validate, /plumbing): siblings of the front door.
  "runtime/entries": 11,
  // generator: sources → model → emit | write → generate → cli (it uses the runtime, never the reverse).
  "generator/files.ts": 11,
  "generator/toolchain.ts": 11,
  "generator/version.ts": 11,
  "generator/cache": 12,
  "generator/sources": 13,
  "generator/model": 14,
  "generator/emit": 15,
  "generator/write": 15,
  // What a generation's output depends on, and what the folder it replaces held.
  "generator/input-fingerprint.ts": 16,
  "generator/previous-output.ts": 16,
  // The targets (one or several) read, fingerprinted and modelled for one generation.
  "generator/targets.ts": 17,
  // The pipeline; snapshots and diffs beside it.
  "generator/generate.ts": 18,
  "generator/snapshot.ts": 18,
  // `kubetyped check`: each target read and modelled as a generation does, emitted into a scratch folder, then the project type-checked over it.
  "generator/check": 18,
  // `kubetyped validate`: manifests checked against the output folder's validators or a target's schemas.
  "generator/validate": 18,
  "generator/cli": 19,
  "generator/index.ts": 20,
  // The local control plane uses the runtime's public API; the CLI loads it on demand (dynamic import).
  "local-cluster": 21,
};

const room = (file: string) => (file.startsWith("local-cluster/") ? "local-cluster" : roomOf(file));

/**
 * What the generator may take from the runtime: the shared kernel (its types included: a connection, a verb)
 * and the validation entry (the generator asks it which schema rules the validators can check) at load time;
 * the public entries only lazily, where a live cluster or a failure needs it (`import()`, `typeof import()`),
 * so replaying a snapshot or a folder never loads the runtime's HTTP stack.
 */
const GENERATOR_MAY_IMPORT = (target: string) => target.startsWith("runtime/core/") || target === "runtime/validate/index.ts";
const GENERATOR_MAY_LOAD_LAZILY = (target: string) => GENERATOR_MAY_IMPORT(target) || target === "runtime/index.ts" || target.startsWith("runtime/entries/");

/** Imports from the generator into the runtime past the kernel, the validation entry and the lazily loaded public entry. */
function generatorReachesIntoRuntime(facts: ReadonlyMap<string, { imports: readonly string[]; lazyImports?: readonly string[] }>): string[] {
  return [...facts].flatMap(([file, { imports, lazyImports = [] }]) =>
    file.startsWith("generator/")
      ? [
          ...imports.filter((target) => target.startsWith("runtime/") && !GENERATOR_MAY_IMPORT(target)),
          ...lazyImports.filter((target) => target.startsWith("runtime/") && !GENERATOR_MAY_LOAD_LAZILY(target)),
        ].map((target) => `${file} -> ${target}`)
      : [],
  );
}

/**
 * A resource call's options (`VerbOptions`, the clients' `AnyOptions`) become a request in one file: every
 * default and check of them is made there. Elsewhere only the keys that steer the client and never reach a
 * request may be read: how the REST client sends (`signal`, `timeoutMs`) and how a watch is read (`resume`,
 * `maxEventBytes`).
 */
const CALL_OPTIONS = { typeName: "VerbOptions", declaredIn: "runtime/request/build.ts" } as const;
const CLIENT_STEERING_KEYS: ReadonlySet<string> = new Set(["signal", "timeoutMs", "resume", "maxEventBytes"]);

/** Reads of a call's options into a request outside `runtime/request/build.ts`. */
function callOptionReadsOutsideBuild(reads: readonly PropertyRead[]): string[] {
  return reads.filter((read) => read.file !== CALL_OPTIONS.declaredIn && !CLIENT_STEERING_KEYS.has(read.key)).map((read) => `${read.file}:${read.line} reads the call option ${read.key}`);
}

describe("architecture of the product sources (runtime, generator, local-cluster)", () => {
  const facts = readSources(root, PRODUCT);
  const graph = new Map([...facts].map(([file, { imports }]) => [file, imports]));
  // A lazy `import()` loads later but ties two files all the same: a circle through one is still a circle.
  const tied = new Map([...facts].map(([file, { imports, lazyImports }]) => [file, [...imports, ...lazyImports]]));

  it("reads lazy imports apart from static ones", () => {
    expect(facts.get("generator/generate.ts")?.lazyImports).toContain("generator/model/index.ts");
  });

  it("reads the whole product", () => {
    expect(facts.size).toBeGreaterThan(100);
    expect([...facts.keys()].some((file) => file.startsWith("local-cluster/"))).toBe(true);
  });

  it("has no import circle, lazy imports counted", () => {
    expect(importCircles(tied)).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = [...facts].flatMap(([file, { functions }]) => functions.filter((fn) => fn.lines > MAX_FUNCTION_LINES).map((fn) => `${file}:${fn.line} ${fn.name} (${fn.lines} lines)`));
    expect(long).toEqual([]);
  });

  it("never imports from a room to a higher one (request/ never imports transport/; the runtime never imports the generator)", () => {
    expect(upwardImports(facts, (name) => RANKS[name], room)).toEqual([]);
  });

  it("keeps the validator interpreter (and the CEL evaluator under it) out of what `kubetyped/runtime` loads", () => {
    const loaded = loadedWith(facts, "runtime/index.ts");
    expect(loaded.has("runtime/client/resource-client.ts")).toBe(true);
    expect([...loaded].filter((file) => file === "runtime/validate/index.ts" || file.startsWith("runtime/validate/cel/") || file === "runtime/validate/walker.ts")).toEqual([]);
  });

  it("lets the generator take from the runtime only the kernel (runtime/core/), the validation entry and, lazily, the public entry", () => {
    expect(generatorReachesIntoRuntime(facts)).toEqual([]);
  });

  it("reads a call's options into a request only in runtime/request/build.ts", { timeout: 120_000 }, () => {
    const reads = propertyReads(root, ["runtime"], CALL_OPTIONS.typeName, CALL_OPTIONS.declaredIn);
    expect(reads.filter((read) => read.file === CALL_OPTIONS.declaredIn).length).toBeGreaterThan(5); // the check sees the reads it allows
    expect(callOptionReadsOutsideBuild(reads)).toEqual([]);
  });
});

describe("the checks themselves", () => {
  it("follow only the imports that load code", () => {
    const facts = new Map([
      ["a.ts", { valueImports: ["b.ts"] }],
      ["b.ts", { valueImports: ["c.ts"] }],
      ["c.ts", { valueImports: [] }],
      ["d.ts", { valueImports: ["a.ts"] }],
    ]);
    expect([...loadedWith(facts, "a.ts")].sort()).toEqual(["a.ts", "b.ts", "c.ts"]);
    const typed = readSources(root, ["runtime"]).get("runtime/validate/attach.ts")!;
    expect(typed.imports).toContain("runtime/api/descriptor.ts");
    expect(typed.valueImports).not.toContain("runtime/api/descriptor.ts");
  });

  it("find a generator file reaching into the runtime past the kernel and the validation entry, or loading the public entry at once", () => {
    const facts = new Map([
      ["generator/model/ir.ts", { imports: ["runtime/index.ts", "runtime/core/group-version.ts", "runtime/validate/index.ts", "runtime/api/descriptor.ts"] }],
      ["generator/sources/index.ts", { imports: [], lazyImports: ["runtime/index.ts", "runtime/transport/index.ts"] }],
      ["runtime/client/context.ts", { imports: ["runtime/request/path.ts"] }],
    ]);
    expect(generatorReachesIntoRuntime(facts)).toEqual([
      "generator/model/ir.ts -> runtime/index.ts",
      "generator/model/ir.ts -> runtime/api/descriptor.ts",
      "generator/sources/index.ts -> runtime/transport/index.ts",
    ]);
  });

  it("find a call option read outside request/build.ts, through an alias, `?.`, brackets and destructuring, but not a spread or a steering key", { timeout: 60_000 }, () => {
    const scratch = mkdtempSync(join(tmpdir(), "kubetyped-architecture-"));
    const write = (file: string, text: string) => {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      writeFileSync(join(scratch, file), text);
    };
    try {
      write("runtime/request/build.ts", "export interface VerbOptions { namespace?: string; [option: string]: unknown }\nexport const own = (options: VerbOptions) => options.namespace;\n");
      write(
        "runtime/client/verbs.ts",
        [
          'import type { VerbOptions } from "../request/build.js";',
          "type AnyOptions = VerbOptions;",
          "export function get(options?: AnyOptions, other?: { dryRun?: string }) {",
          '  const dryRun = options?.dryRun ?? other?.dryRun;',
          '  const { labelSelector, ...rest } = options ?? {};',
          '  return [dryRun, labelSelector, options?.["fieldManager"], { ...options }, options?.signal, rest];',
          "}",
        ].join("\n"),
      );
      const reads = propertyReads(scratch, ["runtime"], CALL_OPTIONS.typeName, CALL_OPTIONS.declaredIn);
      expect(callOptionReadsOutsideBuild(reads)).toEqual([
        "runtime/client/verbs.ts:4 reads the call option dryRun",
        "runtime/client/verbs.ts:5 reads the call option labelSelector",
        "runtime/client/verbs.ts:6 reads the call option fieldManager",
      ]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("find a circle, and only real ones", () => {
    const circular = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    expect(importCircles(circular)).toEqual([["a", "b", "c"]]);
    expect(importCircles(new Map([["a", ["b"]], ["b", []]]))).toEqual([]);
  });

  it("find an import from a lower room to a higher one and from a room without a rank", () => {
    const facts = new Map([
      ["runtime/request/build.ts", { imports: ["runtime/transport/types.ts"], lazyImports: [], functions: [] }],
      ["runtime/transport/types.ts", { imports: ["runtime/request/method.ts", "runtime/nowhere/x.ts"], lazyImports: [], functions: [] }],
    ]);
    const found = upwardImports(facts, (name) => RANKS[name]);
    expect(found).toEqual([
      "runtime/request/build.ts -> runtime/transport/types.ts: runtime/request (rank 1) may not import runtime/transport (rank 4)",
      "runtime/transport/types.ts -> runtime/nowhere/x.ts: room runtime/nowhere has no rank",
    ]);
  });
});
