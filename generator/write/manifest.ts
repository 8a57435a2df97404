import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ModelSummary } from "../model/index.js";
import { canonicalJson, isCanonicalJson } from "../sources/canonical-json.js";
import type { SkippedGroupVersion } from "../sources/types.js";
import type { Omission } from "../model/omissions.js";
import { WriteError } from "./errors.js";

export const MANIFEST_FILE = "manifest.json";

/** Recorded per output file, so the next run can tell whether the folder is still what was written. */
export interface FileHashes {
  /** SHA-256 of the bytes written. */
  written: string;
}

/**
 * What an output folder was generated from and by. No timestamps and no origin (URL or snapshot path):
 * the same API generates the same bytes whether read live or from a snapshot.
 */
export interface Manifest {
  generator: "kubetyped";
  generatorVersion: string;
  /** npm range of `kubetyped/runtime` the generated modules need. */
  runtimeVersion: string;
  /** `gitVersion` from `/version`, when the server answered it. */
  clusterVersion?: string;
  /** Which OpenAPI the schemas came from (`mixed`: several targets, not all alike). */
  openapi: "v2" | "v3" | "mixed";
  /** Content hash of each generated group/version's source document. */
  sourceHashes: Record<string, string>;
  skipped: SkippedGroupVersion[];
  /** Files this generator owns in the folder (others, like a README, are left alone). */
  files: string[];
  /** Per owned file: the hash of what was written (a hand edit since shows). Absent in manifests of older generators. */
  fileHashes?: Record<string, FileHashes>;
  /**
   * Fingerprint of everything the output is a function of (documents' hashes, discovery, options, the
   * generator's code): equal on the next run and the folder untouched means nothing to redo.
   */
  inputHash?: string;
  /**
   * SHA-256 of this file's own bytes with this value written as 64 zeros: proves the file untouched without
   * serializing the manifest again (110 MB at 2,000 CRDs). Absent in manifests of older generators.
   */
  manifestHash?: string;
  summary: ModelSummary;
  /**
   * Generated for several targets: each one (oldest first) with its own document hashes; the top-level
   * `sourceHashes` then combine theirs. Absent for one target.
   */
  targets?: ManifestTarget[];
  /** Generated for several targets: what the output leaves out or narrows of each, and why. */
  omitted?: Omission[];
}

/** One target of a generation for several, as the manifest records it. */
export interface ManifestTarget {
  /** Its Kubernetes version (`v1.25.0`), or where it was read when it has none (an OpenAPI folder). */
  label: string;
  clusterVersion?: string;
  openapi: "v2" | "v3";
  /** Content hash of each group/version document of this target that the output holds. */
  sourceHashes: Record<string, string>;
  skipped: SkippedGroupVersion[];
}

/** Stable bytes: keys sorted at every level, two-space indent, final newline. */
export function serializeManifest(manifest: Manifest): string {
  return [...manifestChunks(manifest)].join("");
}

/**
 * The bytes of `serializeManifest`, in pieces: each group/version of the summary is serialized on its own,
 * so the whole text (110 MB for 2,000 CRDs) never has to be one string.
 */
export function* manifestChunks(manifest: Manifest): Generator<string, void, undefined> {
  // manifest → summary → groupVersions → one entry each.
  yield* canonicalChunks(manifest, "", 3);
  yield "\n";
}

/** `canonicalJson(value, 2)` re-indented to `indent`, streamed `depth` object levels deep. */
function* canonicalChunks(value: unknown, indent: string, depth: number): Generator<string, void, undefined> {
  if (depth === 0 || value === null || typeof value !== "object" || Array.isArray(value)) {
    yield canonicalJson(value, 2).replace(/\n/g, `\n${indent}`);
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = canonicalKeyOrder(Object.keys(record).filter((key) => record[key] !== undefined));
  if (keys.length === 0) {
    yield "{}";
    return;
  }
  for (const [index, key] of keys.entries()) {
    yield `${index === 0 ? "{" : ","}\n${indent}  ${JSON.stringify(key)}: `;
    yield* canonicalChunks(record[key], `${indent}  `, depth - 1);
  }
  yield `\n${indent}}`;
}

/** The order canonicalJson writes keys in: sorted, array-index-like keys first and by number (as objects enumerate them). */
function canonicalKeyOrder(keys: string[]): string[] {
  const isIndex = (key: string) => /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
  const indexes = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...indexes, ...keys.filter((key) => !isIndex(key)).sort()];
}

/** Whether `text` is `serializeManifest(manifest)`: the manifest file untouched since it was written. */
export function isSerializedManifest(manifest: Manifest, text: string): boolean {
  if (manifest.manifestHash !== undefined) return selfHashOf(text) === manifest.manifestHash;
  return text.endsWith("\n") && isCanonicalJson(manifest, text.slice(0, -1), 2);
}

const UNHASHED = "0".repeat(64);

/** `manifest` with its `manifestHash`: the hash of its serialization with that value as 64 zeros. */
export function withManifestHash(manifest: Manifest): Manifest {
  const hash = createHash("sha256");
  for (const chunk of manifestChunks({ ...manifest, manifestHash: UNHASHED })) hash.update(chunk);
  return { ...manifest, manifestHash: hash.digest("hex") };
}

/**
 * The hash a manifest's text has with its `manifestHash` value zeroed, when the text records that same hash;
 * undefined when it records none or another. The field is a top-level key: the only line that starts with
 * exactly two spaces and its name (JSON strings hold no raw newline).
 */
function selfHashOf(text: string): string | undefined {
  const key = '\n  "manifestHash": "';
  const start = text.indexOf(key);
  if (start < 0) return undefined;
  const valueStart = start + key.length;
  const recorded = text.slice(valueStart, valueStart + 64);
  if (text[valueStart + 64] !== '"') return undefined;
  const hash = createHash("sha256").update(text.slice(0, valueStart)).update(UNHASHED).update(text.slice(valueStart + 64)).digest("hex");
  return hash === recorded ? hash : undefined;
}

/** Reads `<out>/manifest.json`; undefined when the folder or file does not exist. */
export async function readManifest(out: string): Promise<Manifest | undefined> {
  return (await readManifestFile(out))?.manifest;
}

/** The manifest of `out` and the text it was parsed from (to judge it untouched without reading it twice). */
export async function readManifestFile(out: string): Promise<{ manifest: Manifest; text: string } | undefined> {
  const file = join(out, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Manifest>;
    if (parsed.generator !== "kubetyped" || !Array.isArray(parsed.files) || typeof parsed.summary !== "object") {
      throw new Error("not a kubetyped manifest (no generator/files/summary)");
    }
    return { manifest: parsed as Manifest, text };
  } catch (error) {
    throw new WriteError(`cannot read the previous manifest (${(error as Error).message}); delete the file or the folder to regenerate from scratch`, {
      path: file,
      cause: error,
    });
  }
}
