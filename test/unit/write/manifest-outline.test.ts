import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelSummary } from "../../../generator/model/index.js";
import { outlineManifest, readManifestWithVersion, readSummaryEntries, type ManifestOutline } from "../../../generator/write/manifest-outline.js";
import { readManifest, serializeManifest, writeOutput, WriteError, type Manifest } from "../../../generator/write/index.js";
import { useTempOutput } from "./temp-output.js";

const folders = useTempOutput("kubetyped-outline-");

const summary: ModelSummary = {
  groupVersions: {
    "batch/v1": {
      preferred: true,
      resources: { jobs: { kind: "Job", namespaced: true, verbs: ["get", "list"], subresources: { status: ["get"] } } },
      types: { Job: { spec: { type: "JobSpec", required: false } }, Time: { "": { type: "string", required: true } } },
    },
    // Keys a layout scan could trip on: a quote, a backslash and `": ` inside, and text that is not ASCII.
    'odd"\\": key/v1': { preferred: false, resources: {}, types: { Größe: { "wert😀": { type: '"a" | "b"', required: false } } } },
    "zzz/v1": { preferred: false, resources: {}, types: {} },
  },
};

const manifest: Omit<Manifest, "files" | "fileHashes"> = {
  generator: "kubetyped",
  generatorVersion: "9.9.9",
  runtimeVersion: "^9.9.9",
  clusterVersion: "v1.35.0-ünï",
  openapi: "v3",
  sourceHashes: { "batch/v1": "B1" },
  skipped: [],
  summary,
  targets: [{ label: "v1.35.0", openapi: "v3", sourceHashes: { "batch/v1": "B1" }, skipped: [] }],
};

async function outline(): Promise<ManifestOutline | undefined> {
  return outlineManifest((await readManifestWithVersion(folders.out))!);
}

async function entries(outlined: ManifestOutline): Promise<Record<string, unknown>> {
  const found: Record<string, unknown> = {};
  for await (const [key, value] of readSummaryEntries(outlined)) found[key] = value;
  return found;
}

describe("a manifest outlined, its summary read back a group/version at a time", () => {
  it("holds everything but the summary, and gives back each group/version of it as written", async () => {
    await writeOutput({ out: folders.out, files: [{ path: "batch/v1.ts", content: "export {};\n" }], manifest });
    const written = (await readManifest(folders.out))!;
    const outlined = (await outline())!;
    const { summary: _summary, ...head } = written;
    expect(outlined.head).toEqual(head);
    expect(outlined.groupVersions.map((entry) => entry.key)).toEqual(Object.keys(summary.groupVersions).sort());
    expect(await entries(outlined)).toEqual(summary.groupVersions);
  });

  it("reads back a summary larger than one read (a few megabytes), every group/version whole", async () => {
    const fields = (prefix: string) => Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`${prefix}${i}`, { type: `Type${i} | "é"`, required: i % 2 === 0 }]));
    const groupVersions = Object.fromEntries(["a/v1", "b/v1", "c/v1", "d/v1"].map((key) => [key, { preferred: true, resources: {}, types: { Big: fields(key) } }]));
    await writeOutput({ out: folders.out, files: [], manifest: { ...manifest, summary: { groupVersions } } });
    expect((await readFile(join(folders.out, "manifest.json"))).length).toBeGreaterThan(8 * 2 ** 20);
    expect(await entries((await outline())!)).toEqual(groupVersions);
  });

  it("outlines an empty summary, and a manifest without targets", async () => {
    const { targets: _targets, ...withoutTargets } = manifest;
    await writeOutput({ out: folders.out, files: [], manifest: { ...withoutTargets, summary: { groupVersions: {} } } });
    const outlined = (await outline())!;
    expect(outlined.head.files).toEqual([]);
    expect(outlined.head.targets).toBeUndefined();
    expect(await entries(outlined)).toEqual({});
  });

  it("does not outline a manifest its own hash does not prove, nor one without a hash", async () => {
    await writeOutput({ out: folders.out, files: [], manifest });
    const text = await readFile(join(folders.out, "manifest.json"), "utf8");
    await writeFile(join(folders.out, "manifest.json"), text.replace('"preferred": true', '"preferred": false'));
    expect(await outline()).toBeUndefined();
    const { manifestHash: _hash, ...older } = (await readManifest(folders.out))!;
    await writeFile(join(folders.out, "manifest.json"), serializeManifest(older));
    expect(await outline()).toBeUndefined();
  });

  it("refuses to read the summary back from a file replaced since it was outlined", async () => {
    await writeOutput({ out: folders.out, files: [], manifest });
    const outlined = (await outline())!;
    await writeOutput({ out: folders.out, files: [], manifest: { ...manifest, sourceHashes: { "batch/v1": "B2" } } });
    await expect(entries(outlined)).rejects.toThrow(WriteError);
    await expect(entries(outlined)).rejects.toThrow(/manifest\.json: changed while kubetyped was generating/);
  });
});
