import { join } from "node:path";
import { WriteError } from "./errors.js";
import { sha256 } from "./incremental.js";
import { MANIFEST_FILE, readManifest, serializeManifest, type FileHashes, type Manifest } from "./manifest.js";
import { readIfExists } from "../files.js";
import { assertSafeRelativePath, listTree, replaceTree, type OutputFile, type TreeIo } from "./tree.js";

/** How one file of the output folder would change. */
export interface FileChange {
  path: string;
  change: "added" | "removed" | "changed";
}

export interface WriteOutputOptions {
  out: string;
  /** Emitted files, as they are to be written (the emitter prints them formatted); `manifest.json` is added here. */
  files: readonly OutputFile[];
  /** The manifest without `files` and `fileHashes` (filled in from `files`). */
  manifest: Omit<Manifest, "files" | "fileHashes">;
  /** Compare only: report what would change, write nothing. */
  check?: boolean;
  /** Replaces file operations (tests simulate crashes). */
  io?: TreeIo;
}

export interface WriteOutputResult {
  /** Differences between the folder as it was and the new output (empty: up to date). */
  changes: FileChange[];
  /** The manifest found in the folder before this run. */
  previous?: Manifest;
  /** Whether the folder was replaced (false with `check` or when nothing changed). */
  written: boolean;
  /** The final files, manifest included. */
  files: OutputFile[];
  /** Files the folder already held byte for byte, carried over without being written again (manifest not counted). */
  reused: number;
}

/**
 * Compares the emitted files with the folder and, unless checking, swaps the new tree in atomically. Files the
 * previous generation did not own (a README, a .gitignore) are carried over untouched. Unchanged files are
 * carried over with their timestamps, so watchers see only what changed.
 */
export async function writeOutput(options: WriteOutputOptions): Promise<WriteOutputResult> {
  for (const file of options.files) assertSafeRelativePath(file.path);
  const previous = await readManifest(options.out);
  const present = await listTree(options.out);
  if (previous === undefined && present.some((path) => path.includes("/"))) {
    // A folder with subfolders and no manifest is someone else's (a project root?): replacing it is not ours to do.
    throw new WriteError(
      `holds folders kubetyped did not write (no ${MANIFEST_FILE}); choose a new or empty --out (loose files like a README are fine)`,
      { path: options.out },
    );
  }

  const fileHashes: Record<string, FileHashes> = {};
  const sorted = [...options.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) fileHashes[file.path] = { written: sha256(file.content) };
  const manifest: Manifest = { ...options.manifest, files: sorted.map((file) => file.path), fileHashes };
  const files = [...sorted, { path: MANIFEST_FILE, content: serializeManifest(manifest) }];

  // Without a manifest nothing in the folder is ours: keep it all (never delete what we did not write).
  const owned = new Set(previous === undefined ? [] : [...previous.files, MANIFEST_FILE]);
  const newPaths = new Set(files.map((file) => file.path));
  const keep = present.filter((path) => !owned.has(path) && !newPaths.has(path));

  const changes: FileChange[] = [];
  const unchanged = new Set<string>();
  for (const file of files) {
    const current = await readIfExists(join(options.out, ...file.path.split("/")));
    if (current === undefined) changes.push({ path: file.path, change: "added" });
    else if (current !== file.content) changes.push({ path: file.path, change: "changed" });
    else unchanged.add(file.path);
  }
  for (const path of present) if (owned.has(path) && !newPaths.has(path)) changes.push({ path, change: "removed" });
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const written = !options.check && changes.length > 0;
  if (written) {
    const toWrite = files.filter((file) => !unchanged.has(file.path));
    await replaceTree(options.out, toWrite, [...keep, ...unchanged].sort(), options.io);
  }
  const reused = [...unchanged].filter((path) => path !== MANIFEST_FILE).length;
  const result: WriteOutputResult = { changes, written, files, reused };
  if (previous !== undefined) result.previous = previous;
  return result;
}

export { MANIFEST_FILE, readManifest, serializeManifest, type FileHashes, type Manifest, type ManifestTarget } from "./manifest.js";
export { replaceTree, listTree, type OutputFile, type TreeIo } from "./tree.js";
export { treeMatchesManifest } from "./incremental.js";
export { WriteError } from "./errors.js";
