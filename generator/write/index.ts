import { join } from "node:path";
import { WriteError } from "./errors.js";
import { sha256 } from "./incremental.js";
import { MANIFEST_FILE, readManifest, serializeManifest, type FileHashes, type FoundManifest, type Manifest } from "./manifest.js";
import { readBytesIfExists } from "../files.js";
import { assertSafeRelativePath, listTree, StagedTree, type OutputFile, type TreeIo } from "./tree.js";

/** How one file of the output folder would change. */
export interface FileChange {
  path: string;
  change: "added" | "removed" | "changed";
}

export interface WriteOutputOptions {
  out: string;
  /**
   * Emitted files, as they are to be written (the emitter prints them formatted), taken one at a time: an
   * iterable that makes each file only when asked (emitModuleFiles) keeps one file's text in memory at once.
   * `manifest.json` is added here.
   */
  files: Iterable<OutputFile>;
  /** The manifest without `files` and `fileHashes` (filled in from `files`). */
  manifest: Omit<Manifest, "files" | "fileHashes">;
  /** The folder's manifest as the caller already read it (`found` undefined: the folder has none); absent: read here. */
  previous?: { found: PreviousManifest | undefined } | undefined;
  /** Compare only: report what would change, write nothing. */
  check?: boolean | undefined;
  /** Replaces file operations (tests simulate crashes). */
  io?: TreeIo | undefined;
}

/** What writing needs of the folder's previous manifest: the files it owns. */
export type PreviousManifest = Pick<Manifest, "files">;

export interface WriteOutputResult {
  /** Differences between the folder as it was and the new output (empty: up to date). */
  changes: FileChange[];
  /** The manifest found in the folder before this run, when read here (not when the caller passed `previous`). */
  previous?: FoundManifest;
  /** Whether the folder was replaced (false with `check` or when nothing changed). */
  written: boolean;
  /** Paths of the final files, sorted, manifest included. */
  files: string[];
  /** Files the folder already held byte for byte, carried over without being written again (manifest not counted). */
  reused: number;
}

/**
 * Compares the emitted files with the folder and, unless checking, swaps the new tree in atomically. Files the
 * previous generation did not own (a README, a .gitignore) are carried over untouched. Unchanged files are
 * carried over with their timestamps, so watchers see only what changed.
 */
export async function writeOutput(options: WriteOutputOptions): Promise<WriteOutputResult> {
  const read = options.previous === undefined ? await readManifest(options.out) : undefined;
  const previous: PreviousManifest | undefined = options.previous === undefined ? read : options.previous.found;
  const present = await listTree(options.out);
  if (previous === undefined && present.some((path) => path.includes("/"))) {
    // A folder with subfolders and no manifest is someone else's (a project root?): replacing it is not ours to do.
    throw new WriteError(
      `holds folders kubetyped did not write (no ${MANIFEST_FILE}); choose a new or empty --out (loose files like a README are fine)`,
      { path: options.out },
    );
  }
  const staged = options.check ? undefined : await StagedTree.open(options.out, options.io);
  try {
    const compared = new Comparison(options.out, staged);
    for (const file of options.files) await compared.add(file);
    const files = compared.paths();
    await compared.add({ path: MANIFEST_FILE, content: serializeManifest({ ...options.manifest, files, fileHashes: compared.fileHashes() }) });

    // Without a manifest nothing in the folder is ours: keep it all (never delete what we did not write).
    const owned = new Set(previous === undefined ? [] : [...previous.files, MANIFEST_FILE]);
    const newPaths = new Set([...files, MANIFEST_FILE]);
    const keep = present.filter((path) => !owned.has(path) && !newPaths.has(path));
    const changes = [...compared.changes];
    for (const path of present) if (owned.has(path) && !newPaths.has(path)) changes.push({ path, change: "removed" });
    changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

    const written = staged !== undefined && changes.length > 0;
    if (written) await staged.commit([...keep, ...compared.unchanged].sort());
    else await staged?.discard();
    const result: WriteOutputResult = { changes, written, files: [...files, MANIFEST_FILE].sort(), reused: compared.unchanged.filter((path) => path !== MANIFEST_FILE).length };
    if (read !== undefined) result.previous = read;
    return result;
  } catch (error) {
    await staged?.discard();
    throw error;
  }
}

/** Each new file against the folder's copy: unchanged, or changed/added and then staged. */
class Comparison {
  readonly changes: FileChange[] = [];
  readonly unchanged: string[] = [];
  private readonly hashes = new Map<string, string>();

  constructor(
    private readonly out: string,
    private readonly staged: StagedTree | undefined,
  ) {}

  async add(file: OutputFile): Promise<void> {
    assertSafeRelativePath(file.path);
    // Compared as bytes: decoding every file the folder holds costs more than encoding the new one.
    const bytes = Buffer.from(file.content);
    if (file.path !== MANIFEST_FILE) this.hashes.set(file.path, sha256(bytes));
    const current = await readBytesIfExists(join(this.out, ...file.path.split("/")));
    if (current?.equals(bytes)) {
      this.unchanged.push(file.path);
      return;
    }
    this.changes.push({ path: file.path, change: current === undefined ? "added" : "changed" });
    await this.staged?.write(file);
  }

  paths(): string[] {
    return [...this.hashes.keys()].sort();
  }

  fileHashes(): Record<string, FileHashes> {
    return Object.fromEntries(this.paths().map((path): [string, FileHashes] => [path, { written: this.hashes.get(path)! }]));
  }
}

export { MANIFEST_FILE, readManifest, serializeManifest, type FileHashes, type FoundManifest, type Manifest, type ManifestTarget } from "./manifest.js";
export { readSummary, summaryFiles, SUMMARY_FOLDER } from "./summary-files.js";
export { StagedTree, listTree, type OutputFile, type TreeIo } from "./tree.js";
export { treeMatchesManifest } from "./incremental.js";
export { WriteError } from "./errors.js";
