// The folder a generation replaces: whether it already holds this very output, and how the API it recorded
// differs from the new one, each group/version's summary read back only when its bytes changed.
import { compareSummaries, SummaryComparison, type ChangeReport } from "./model/compare.js";
import type { ModelSummary } from "./model/summary.js";
import { sha256, treeMatchesManifest } from "./write/incremental.js";
import { readManifestFile, type FoundManifest } from "./write/manifest.js";
import { readSummaryEntry, summarizedKeys, summaryPath, summaryText } from "./write/summary-files.js";

/**
 * What `out` held: this very output, untouched (`unchanged`); a previous generation (`found`, undefined
 * when the folder has none); or a manifest that cannot be read (`unreadable`: the write reports why).
 */
export type PreviousOutput = { unchanged: FoundManifest } | { found: FoundManifest | undefined } | { unreadable: true };

/** Reads `out`'s manifest; `unchanged` when it records `fingerprint` and every file is as it was written. */
export async function previousOutput(out: string, fingerprint: string): Promise<PreviousOutput> {
  let read: Awaited<ReturnType<typeof readManifestFile>>;
  try {
    read = await readManifestFile(out);
  } catch {
    return { unreadable: true };
  }
  if (read === undefined) return { found: undefined };
  const { manifest, text } = read;
  if (manifest.inputHash === fingerprint && (await treeMatchesManifest(out, manifest, text))) return { unchanged: manifest };
  return { found: manifest };
}

/**
 * The change report of `summary` against what `previous` recorded. A group/version whose summary file would
 * be written with the bytes the previous manifest hashed is the same and is not read; only the others are
 * read back (from their files, or from the summary an older generator kept inside its manifest).
 */
export async function compareWithPrevious(out: string, summary: ModelSummary, previous: PreviousOutput): Promise<ChangeReport> {
  const found = "found" in previous ? previous.found : undefined;
  if (found === undefined) return compareSummaries(undefined, summary);
  const comparison = new SummaryComparison(summary);
  for (const key of summarizedKeys(found)) {
    const entry = Object.hasOwn(summary.groupVersions, key) ? summary.groupVersions[key] : undefined;
    if (entry === undefined) comparison.removed(key);
    else if (found.fileHashes?.[summaryPath(key)]?.written === sha256(summaryText(entry))) comparison.unchanged(key);
    else comparison.previous(key, await readSummaryEntry(out, found, key));
  }
  return comparison.report(false);
}
