import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { parseAllDocuments } from "yaml";
import { afterAll, expect, it } from "vitest";
import { emitModules } from "../../generator/emit/index.js";
import { buildModel } from "../../generator/model/index.js";
import { deriveDiscoveryFromOpenApiV3 } from "../../generator/sources/derive-discovery.js";
import type { SourceSet } from "../../generator/sources/types.js";
import { typecheckFolder, writeFiles } from "../corpus/support/typecheck.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";
import { groupVersionDocument, type Json, type ResourceSpec } from "./support/documents.js";

/**
 * Mutates the schemas of real CRDs (cert-manager, jobset) and checks every mutant either generates code that
 * type-checks under strict (all mutants in one tsc program) or fails with a ModelError/SourceError naming
 * a JSON pointer. Seeded, so a failure replays.
 */
const RUNS = Number(process.env["KUBETYPED_FUZZ_RUNS"] ?? 150);
const SEED = Number(process.env["KUBETYPED_FUZZ_SEED"] ?? 20_251_125);

interface Crd {
  resource: ResourceSpec;
  schema: Record<string, Json>;
}

function readCrds(file: string): Crd[] {
  const crds: Crd[] = [];
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    const crd = document.toJS() as { kind?: string; spec?: { group: string; scope: string; names: { kind: string; plural: string }; versions: { name: string; schema?: { openAPIV3Schema?: Record<string, Json> } }[] } } | null;
    if (crd?.kind !== "CustomResourceDefinition" || !crd.spec) continue;
    for (const version of crd.spec.versions) {
      const schema = version.schema?.openAPIV3Schema;
      if (!schema) continue;
      crds.push({
        resource: { group: crd.spec.group, version: version.name, kind: crd.spec.names.kind, plural: crd.spec.names.plural, namespaced: crd.spec.scope === "Namespaced" },
        schema,
      });
    }
  }
  return crds;
}

/** Every schema object below `schema` (itself included), reached through properties, items and additionalProperties. */
function schemaNodes(schema: Record<string, Json>): Record<string, Json>[] {
  const nodes: Record<string, Json>[] = [];
  const queue = [schema];
  while (queue.length > 0) {
    const node = queue.pop()!;
    nodes.push(node);
    const children: Json[] = [];
    if (isRecord(node["properties"])) children.push(...Object.values(node["properties"]));
    children.push(node["items"], node["additionalProperties"]);
    for (const child of children) if (isRecord(child)) queue.push(child);
  }
  return nodes;
}

function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom("__proto__", "constructor", "prototype", "default", "class", "*/", "/*", "\u2028", "`${x}`", "</script>", "\u0000", "", "0x", "a-b", "a.b", "a/b", " "),
);
const anyValue = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.constant({}));
const extensionFlag = fc.constantFrom(
  "x-kubernetes-int-or-string",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-embedded-resource",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-map-type",
  "nullable",
);

type Mutation = { at: number } & (
  | { op: "renameProperty"; name: string }
  | { op: "description"; text: string }
  | { op: "type"; type: Json }
  | { op: "enum"; values: Json[] }
  | { op: "nest"; how: "object" | "array" | "allOf" }
  | { op: "required"; required: Json }
  | { op: "extension"; flag: string; value: Json }
  | { op: "delete"; key: "type" | "properties" | "items" | "required" | "additionalProperties" }
  | { op: "ref"; target: string }
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ at: fc.nat(), op: fc.constant("renameProperty" as const), name: hostileString }),
  fc.record({ at: fc.nat(), op: fc.constant("description" as const), text: hostileString }),
  fc.record({ at: fc.nat(), op: fc.constant("type" as const), type: fc.oneof(fc.constantFrom("string", "integer", "number", "boolean", "array", "object", "null", "wat"), anyValue) }),
  fc.record({ at: fc.nat(), op: fc.constant("enum" as const), values: fc.array(anyValue, { maxLength: 6 }) }),
  fc.record({ at: fc.nat(), op: fc.constant("nest" as const), how: fc.constantFrom("object" as const, "array" as const, "allOf" as const) }),
  fc.record({ at: fc.nat(), op: fc.constant("required" as const), required: fc.oneof(fc.array(hostileString, { maxLength: 4 }), anyValue) }),
  fc.record({ at: fc.nat(), op: fc.constant("extension" as const), flag: extensionFlag, value: fc.oneof(fc.boolean(), anyValue) }),
  fc.record({ at: fc.nat(), op: fc.constant("delete" as const), key: fc.constantFrom("type" as const, "properties" as const, "items" as const, "required" as const, "additionalProperties" as const) }),
  fc.record({ at: fc.nat(), op: fc.constant("ref" as const), target: fc.constantFrom("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "#/components/schemas/missing", "#/definitions/x", "http://evil.example/x.json") }),
);

function applyMutation(schema: Record<string, Json>, change: Mutation): void {
  const nodes = schemaNodes(schema);
  const node = nodes[change.at % nodes.length]!;
  switch (change.op) {
    case "renameProperty": {
      const properties = node["properties"];
      if (!isRecord(properties)) return;
      const names = Object.keys(properties);
      if (names.length === 0) return;
      const from = names[change.at % names.length]!;
      const value = properties[from];
      delete properties[from];
      Object.defineProperty(properties, change.name, { value, enumerable: true, writable: true, configurable: true });
      return;
    }
    case "description":
      node["description"] = change.text;
      return;
    case "type":
      node["type"] = change.type;
      return;
    case "enum":
      node["enum"] = change.values;
      return;
    case "nest": {
      const inner = { ...node };
      for (const key of Object.keys(node)) delete node[key];
      if (change.how === "object") Object.assign(node, { type: "object", properties: { inner } });
      else if (change.how === "array") Object.assign(node, { type: "array", items: inner });
      else Object.assign(node, { allOf: [inner] });
      return;
    }
    case "required":
      node["required"] = change.required;
      return;
    case "extension":
      node[change.flag] = change.value;
      return;
    case "delete":
      delete node[change.key];
      return;
    case "ref":
      node["$ref"] = change.target;
      return;
  }
}

describeWithSharedData("crds", "fuzz: mutated real CRD schemas generate strict code or fail cleanly", (crdDir) => {
  const crds = [...readCrds(path.join(crdDir, "cert-manager.crds.yaml")), ...readCrds(path.join(crdDir, "jobset.yaml"))];
  const counts = { tried: 0, generated: 0, cleanErrors: 0 };
  afterAll(() => console.log(`fuzz: ${counts.tried} mutated CRD cases tried (seed ${SEED}), ${counts.generated} generated code, ${counts.cleanErrors} failed cleanly`));

  it(`reads the CRDs (${crds.length} served versions)`, () => {
    expect(crds.length).toBeGreaterThanOrEqual(7);
  });

  it(`${RUNS} mutants: strict code or a clean error`, async () => {
    const root = await makeTempDir("fuzz-crd-");
    const unclean: string[] = [];
    const writes: Promise<void>[] = [];
    fc.assert(
      fc.property(fc.nat({ max: crds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (index, mutations) => {
        const crd = crds[index]!;
        const schema = structuredClone(crd.schema);
        for (const change of mutations) applyMutation(schema, change);
        const key = `io.example.${crd.resource.version}.${crd.resource.kind}`;
        const topLevel = { ...schema, "x-kubernetes-group-version-kind": [{ group: crd.resource.group, version: crd.resource.version, kind: crd.resource.kind }] };
        const document = groupVersionDocument([{ ...crd.resource, schemaKey: key }], { [key]: topLevel }) as never;
        const documents = new Map([[`${crd.resource.group}/${crd.resource.version}`, document]]);
        const sources: SourceSet = { origin: "fuzz", groupVersions: deriveDiscoveryFromOpenApiV3(documents), openapi: { kind: "v3", documents }, hashes: new Map(), skipped: [], warnings: [] };
        const caseName = `case${counts.tried++}`;
        try {
          const files = emitModules(buildModel(sources));
          counts.generated++;
          writes.push(writeFiles(path.join(root, caseName), files));
        } catch (error) {
          const named = error as { name?: string; pointer?: string; message?: string };
          if ((named.name === "ModelError" || named.name === "SourceError") && named.pointer?.startsWith("#/") && named.message?.includes(named.pointer)) {
            counts.cleanErrors++;
          } else {
            unclean.push(`${caseName} (${JSON.stringify(mutations)}): ${(error as Error).stack}`);
            return false;
          }
        }
        return true;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(unclean).toEqual([]);
    await Promise.all(writes);
    expect(counts.generated).toBeGreaterThan(0);
    expect(await typecheckFolder(root)).toBe("");
  }, 120_000);
});
