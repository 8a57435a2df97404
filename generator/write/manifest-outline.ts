// A previous manifest without its summary in memory (most of its 110 MB at 2,000 CRDs): the rest is parsed,
// and each group/version's summary is read back from the file, a few at a time, when the regeneration compares.
import { open } from "node:fs/promises";
import { join } from "node:path";
import type { GroupVersionSummary } from "../model/index.js";
import { WriteError } from "./errors.js";
import { MANIFEST_FILE, selfHashOf, type Manifest } from "./manifest.js";

/** Which version of a file was read: another (replaced, rewritten) differs in at least one of these. */
interface FileVersion {
  ino: number;
  size: number;
  mtimeMs: number;
}

/**
 * `<out>/manifest.json` as read, with the version of the file it was read from. Bytes, not text: outside
 * V8's heap they do not count as live data there, which would let the heap grow by as much again, several
 * times over, before its next full collection.
 */
export interface ManifestRead {
  file: string;
  bytes: Buffer;
  version: FileVersion;
}

/** A manifest file exactly as kubetyped wrote it, its summary left in the file. */
export interface ManifestOutline {
  /** Everything but the summary. */
  head: Omit<Manifest, "summary">;
  file: string;
  version: FileVersion;
  /** Where each group/version's summary sits in the file, in bytes, in file order. */
  groupVersions: SummaryEntry[];
}

interface SummaryEntry {
  key: string;
  start: number;
  end: number;
}

/** Reads `<out>/manifest.json` and which version of it that was; undefined when the folder or file does not exist. */
export async function readManifestWithVersion(out: string): Promise<ManifestRead | undefined> {
  const file = join(out, MANIFEST_FILE);
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
  try {
    // The version is taken from the open file, so it is the one whose bytes are read.
    const { ino, size, mtimeMs } = await handle.stat();
    return { file, bytes: await handle.readFile(), version: { ino, size, mtimeMs } };
  } finally {
    await handle.close();
  }
}

/**
 * The outline of a manifest read; undefined when its bytes are not exactly what kubetyped writes (no
 * `manifestHash`, or one they do not prove: an older generator's or a hand-edited file, to be parsed whole).
 * The layout is then known: keys of the top level, of `summary` and of `summary.groupVersions` are the only
 * lines indented by 2, 4 and 6 spaces before a quote, their objects close on lines indented alike (JSON
 * strings hold no raw newline).
 */
export function outlineManifest(read: ManifestRead): ManifestOutline | undefined {
  const { bytes } = read;
  if (selfHashOf(bytes) === undefined) return undefined;
  // `,\n  "summary": {` ... `\n  }`: never the first key (`generator` sorts before it).
  const summaryStart = bytes.indexOf(',\n  "summary": {');
  const summaryEnd = bytes.indexOf("\n  }", summaryStart) + "\n  }".length;
  const listStart = bytes.indexOf('\n    "groupVersions": {', summaryStart);
  if (summaryStart < 0 || summaryEnd < summaryStart || listStart < 0 || listStart > summaryEnd) return undefined;
  const listClose = bytes.indexOf("\n    }", listStart);
  // An empty list (`{}`) has no closing line of its own: the summary's closes it.
  const listEnd = listClose >= 0 && listClose < summaryEnd ? listClose : summaryEnd;
  const head = parseHead(bytes.toString("utf8", 0, summaryStart) + bytes.toString("utf8", summaryEnd));
  if (head === undefined) return undefined;
  return { head, file: read.file, version: read.version, groupVersions: summaryEntries(bytes, listStart, listEnd) };
}

function parseHead(text: string): Omit<Manifest, "summary"> | undefined {
  try {
    const head = JSON.parse(text) as Partial<Manifest>;
    return head.generator === "kubetyped" && Array.isArray(head.files) ? (head as Omit<Manifest, "summary">) : undefined;
  } catch {
    return undefined;
  }
}

/** Each group/version entry between `start` and `end` (where the list closes): its key, and where its value's bytes are. */
function summaryEntries(bytes: Buffer, start: number, end: number): SummaryEntry[] {
  const entryLine = '\n      "';
  const entries: SummaryEntry[] = [];
  for (let at = bytes.indexOf(entryLine, start); at >= 0 && at < end; ) {
    const { key, valueStart } = entryKey(bytes, at + entryLine.length - 1);
    const next = bytes.indexOf(entryLine, valueStart);
    // The value ends before the comma of the next entry, or where the list closes.
    const valueEnd = next >= 0 && next < end ? next - 1 : end;
    entries.push({ key, start: valueStart, end: valueEnd });
    at = next;
  }
  return entries;
}

/** The key whose JSON string opens at `quote` (the first `": ` that ends a whole string), and where its value starts. */
function entryKey(bytes: Buffer, quote: number): { key: string; valueStart: number } {
  for (let colon = bytes.indexOf('": ', quote + 1); ; colon = bytes.indexOf('": ', colon + 1)) {
    if (colon < 0) throw new Error("internal: a summary entry's key has no end, in a manifest its own hash proves");
    try {
      return { key: JSON.parse(bytes.toString("utf8", quote, colon + 1)) as string, valueStart: colon + '": '.length };
    } catch {
      // An escaped quote inside the key: the string goes on.
    }
  }
}

/**
 * Each group/version summary of an outlined manifest, read from its file in order, a few megabytes at a time.
 * A file replaced since it was outlined is refused: its bytes are not where the outline says.
 */
export async function* readSummaryEntries(outline: ManifestOutline): AsyncGenerator<[string, GroupVersionSummary], void, undefined> {
  const changed = () => new WriteError("changed while kubetyped was generating (another run?); run it again", { path: outline.file });
  const handle = await open(outline.file, "r");
  try {
    const { ino, size, mtimeMs } = await handle.stat();
    if (ino !== outline.version.ino || size !== outline.version.size || mtimeMs !== outline.version.mtimeMs) throw changed();
    for (const window of windowsOf(outline.groupVersions, 4 * 2 ** 20)) {
      const from = window[0]!.start;
      const length = window.at(-1)!.end - from;
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, from);
      if (bytesRead !== length) throw changed();
      for (const entry of window) yield [entry.key, JSON.parse(buffer.toString("utf8", entry.start - from, entry.end - from)) as GroupVersionSummary];
    }
  } finally {
    await handle.close();
  }
}

/** Consecutive entries in runs spanning at most `bytes` (one entry at least): one read each. */
function windowsOf(entries: readonly SummaryEntry[], bytes: number): SummaryEntry[][] {
  const windows: SummaryEntry[][] = [];
  for (const entry of entries) {
    const current = windows.at(-1);
    if (current !== undefined && entry.end - current[0]!.start <= bytes) current.push(entry);
    else windows.push([entry]);
  }
  return windows;
}
