// The API summary kept beside the modules, one file per group/version, so the manifest stays small and a
// regeneration reads back only the summaries whose bytes changed.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { GroupVersionSummary, ModelSummary } from "../model/index.js";
import { canonicalJson } from "../sources/canonical-json.js";
import { WriteError } from "./errors.js";
import type { FoundManifest } from "./manifest.js";
import type { OutputFile } from "./tree.js";

/** A hidden folder: no API group name starts with a dot, so it never meets a module's folder. */
export const SUMMARY_FOLDER = ".summary";

/** `core/v1` → `.summary/core/v1.json`. */
export function summaryPath(key: string): string {
  return `${SUMMARY_FOLDER}/${key}.json`;
}

/** One group/version's summary file: compact canonical JSON (the unchanged check hashes every one of them). */
export function summaryText(entry: GroupVersionSummary): string {
  return `${canonicalJson(entry)}\n`;
}

/** One file per group/version, each serialized only when taken: the writer holds one at a time. */
export function* summaryFiles(summary: ModelSummary): Generator<OutputFile, void, undefined> {
  for (const [key, entry] of Object.entries(summary.groupVersions)) yield { path: summaryPath(key), content: summaryText(entry) };
}

/** The group/versions a previous generation summarized: its summary files, or an older manifest's own summary. */
export function summarizedKeys(manifest: FoundManifest): string[] {
  if (manifest.summary !== undefined) return Object.keys(manifest.summary.groupVersions);
  const prefix = `${SUMMARY_FOLDER}/`;
  return manifest.files.filter((path) => path.startsWith(prefix) && path.endsWith(".json")).map((path) => path.slice(prefix.length, -".json".length));
}

/** One group/version's summary as a previous generation of `out` recorded it. */
export async function readSummaryEntry(out: string, manifest: FoundManifest, key: string): Promise<GroupVersionSummary> {
  if (manifest.summary !== undefined) return manifest.summary.groupVersions[key]!;
  const file = join(out, ...summaryPath(key).split("/"));
  try {
    return JSON.parse(await readFile(file, "utf8")) as GroupVersionSummary;
  } catch (error) {
    throw new WriteError(
      `cannot read the previous API summary of ${key} (${(error as Error).message}); restore the file, or delete the folder to regenerate from scratch`,
      { path: file, cause: error },
    );
  }
}

/** The whole summary a previous generation of `out` recorded (`diff`, `check`). */
export async function readSummary(out: string, manifest: FoundManifest): Promise<ModelSummary> {
  if (manifest.summary !== undefined) return manifest.summary;
  const keys = summarizedKeys(manifest);
  const entries = await Promise.all(keys.map((key) => readSummaryEntry(out, manifest, key)));
  return { groupVersions: Object.fromEntries(keys.map((key, index) => [key, entries[index]!])) };
}
