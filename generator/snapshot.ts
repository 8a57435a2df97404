// Snapshots and diffs: recording what a generation reads, and comparing the APIs of two folders.
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { groupVersionKey } from "../runtime/core/group-version.js";
import { compareSummaries, type ChangeReport } from "./model/compare.js";
import type { ModelSummary } from "./model/index.js";
import { loadSources, type GeneratorLog, type SkippedGroupVersion, type SourceInputs } from "./sources/index.js";
import { buildTargetsModel, readTargets, type SourceOptions } from "./targets.js";
import { WriteError } from "./write/errors.js";
import { MANIFEST_FILE, readManifest } from "./write/manifest.js";
import { readSummary } from "./write/summary-files.js";
import { recoverInterruptedSwap, stagingFolderFor, swapFolderInto } from "./write/tree.js";

export interface SnapshotOptions extends SourceOptions {
  /** Snapshot folder to create (replaced whole if it exists). */
  out: string;
}

export interface SnapshotResult {
  origin: string;
  serverVersion?: string;
  groupVersions: string[];
  skipped: SkippedGroupVersion[];
  warnings: string[];
  durationMs: number;
}

/**
 * Records everything generation reads (discovery, OpenAPI, /version) into a snapshot folder that
 * `generate --from` replays. Recorded beside `out` first and swapped in, so a failed run leaves no half snapshot.
 */
export async function snapshot(options: SnapshotOptions): Promise<SnapshotResult> {
  const started = performance.now();
  for (const line of await recoverInterruptedSwap(options.out)) options.log?.warn?.(line);
  await assertReplaceableSnapshot(options.out);
  const staging = stagingFolderFor(options.out);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  let inputs: SourceInputs;
  try {
    inputs = await recordTargets(options, staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await swapFolderInto(staging, options.out);
  const result: SnapshotResult = {
    origin: inputs.origin,
    // Only a cluster or a snapshot is recorded (never an OpenAPI folder, whose discovery is "derived").
    groupVersions: (inputs.discovery === "derived" ? [] : inputs.discovery).map((gv) => groupVersionKey(gv.group, gv.version)).sort(),
    skipped: inputs.skipped,
    warnings: inputs.warnings,
    durationMs: Math.round(performance.now() - started),
  };
  if (inputs.serverVersion?.gitVersion !== undefined) result.serverVersion = inputs.serverVersion.gitVersion;
  return result;
}

/**
 * Records the source into `staging` as a generation reads it, and models what it read: a live source is
 * recorded again (into an emptied folder) while discovery serves what its OpenAPI does not describe yet, so a
 * snapshot taken right after a CRD is created holds its schema. What stays without one is recorded as served,
 * with the model's warning.
 */
async function recordTargets(options: SnapshotOptions, staging: string): Promise<SourceInputs> {
  // The one target, recorded; its groups and log are also the reading's options.
  const source = { ...sourceOptions(options), record: staging };
  return readTargets([source], source, async (opened, wait) => {
    const built = await buildTargetsModel(opened, { ...pickGroups(options), allowEmpty: true, ...wait }, options.log ?? {});
    if (built === undefined) {
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
    }
    return built?.loaded[0];
  });
}

function pickGroups(options: SourceOptions): { groups?: string[] } {
  return options.groups === undefined ? {} : { groups: options.groups };
}

/** Only an empty folder or an earlier snapshot may be replaced: `snapshot --out .` must not swallow a project. */
async function assertReplaceableSnapshot(out: string): Promise<void> {
  const entries: string[] = await readdir(out).catch((error: NodeJS.ErrnoException): string[] => {
    if (error.code === "ENOENT") return [];
    if (error.code === "ENOTDIR") throw new WriteError("exists and is not a folder; choose another --out", { path: out });
    throw error;
  });
  const looksLikeSnapshot = ["version.json", "api.json", "api.aggregated.json"].some((name) => entries.includes(name));
  if (entries.length > 0 && !looksLikeSnapshot) {
    throw new WriteError("is not empty and not an earlier snapshot (no version.json or api.json); choose a new or empty --out", { path: out });
  }
}

/**
 * The API differences between two folders, each either a snapshot (modelled on the fly) or a generated
 * output folder (its manifest's summary is used).
 */
export async function diffApis(from: string, to: string, options: { groups?: string[] | undefined; log?: GeneratorLog | undefined } = {}): Promise<ChangeReport> {
  const [before, after] = await Promise.all([summaryOf(from, options), summaryOf(to, options)]);
  return compareSummaries(before, after);
}

async function summaryOf(folder: string, options: { groups?: string[] | undefined; log?: GeneratorLog | undefined }): Promise<ModelSummary> {
  const isFolder = await stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder) throw new Error(`${folder}: not a folder; give a snapshot folder (npx kubetyped snapshot --out DIR) or a generated folder`);
  const manifest = await readManifest(folder);
  if (manifest !== undefined) {
    options.log?.progress?.(`using the API summary of ${folder} (${MANIFEST_FILE})`);
    return readSummary(folder, manifest);
  }
  const sources = await loadSources({ from: folder, groups: options.groups, log: options.log });
  const { buildModel, summarizeModel } = await import("./model/index.js");
  // With the validation keywords, as a generated folder's summary has them (its `rules`), so both compare alike.
  return summarizeModel(buildModel(sources, { groups: options.groups, validation: true }), { rules: true });
}

/** The source options alone, without what only generation takes. */
function sourceOptions(options: SourceOptions): SourceOptions {
  const { connection, from, fetcher, groups, log } = options;
  return { connection, from, fetcher, groups, log };
}
