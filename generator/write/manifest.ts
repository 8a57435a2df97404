import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ModelSummary } from "../model/index.js";
import { canonicalJson, isCanonicalJson } from "../sources/canonical-json.js";
import type { SkippedGroupVersion } from "../sources/types.js";
import type { Omission } from "../model/omissions.js";
import { WriteError } from "./errors.js";
import { readBytesIfExists } from "../files.js";

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

/** Whether `text` (or its bytes) is `serializeManifest(manifest)`: the manifest file untouched since it was written. */
export function isSerializedManifest(manifest: Manifest, text: string | Buffer): boolean {
  if (manifest.manifestHash !== undefined) return selfHashOf(text) === manifest.manifestHash;
  const whole = text.toString();
  return whole.endsWith("\n") && isCanonicalJson(manifest, whole.slice(0, -1), 2);
}

const UNHASHED = "0".repeat(64);

/** The line that opens the top-level `manifestHash` value: the only line starting with exactly two spaces and its name (JSON strings hold no raw newline). */
const SELF_HASH_KEY = '\n  "manifestHash": "';

/**
 * The manifest's bytes with `manifestHash` written as 64 zeros, hashed and counted as the pieces go by, so
 * it is serialized once (110 MB at 2,000 CRDs): whoever writes the pieces then puts `hash` over the zeros at
 * byte `offset`. Both are known once every piece has been taken.
 */
export class SelfHashedManifest {
  private readonly hasher = createHash("sha256");
  private bytes = 0;
  private zerosAt: number | undefined;
  private digest: string | undefined;

  /** `manifest`'s own `manifestHash`, if any, is not written: the zeros are. */
  constructor(private readonly manifest: Manifest) {}

  *chunks(): Generator<string, void, undefined> {
    let previous = "";
    for (const chunk of manifestChunks({ ...this.manifest, manifestHash: UNHASHED })) {
      // The key and its value come as two pieces; the value's zeros start after its opening quote.
      if (chunk === `"${UNHASHED}"` && `${previous}"`.endsWith(SELF_HASH_KEY)) this.zerosAt = this.bytes + 1;
      this.hasher.update(chunk);
      this.bytes += Buffer.byteLength(chunk);
      previous = chunk;
      yield chunk;
    }
    this.digest = this.hasher.digest("hex");
  }

  /** Takes every piece without writing it (a check writes nothing). */
  hashOnly(): void {
    for (const chunk of this.chunks()) void chunk;
  }

  /** The value of `manifestHash`: SHA-256 of the bytes with it as 64 zeros. */
  get hash(): string {
    if (this.digest === undefined) throw new Error("SelfHashedManifest: the hash is known only once every piece was taken");
    return this.digest;
  }

  /** Where the 64 zeros sit in the bytes written. */
  get offset(): number {
    if (this.zerosAt === undefined) throw new Error("SelfHashedManifest: no manifestHash placeholder among the pieces taken");
    return this.zerosAt;
  }
}

/** Whether the manifest file in `out` is byte for byte the one whose `manifestHash` is `hash`. */
export async function isManifestFileHashed(out: string, hash: string): Promise<boolean> {
  const bytes = await readBytesIfExists(join(out, MANIFEST_FILE));
  return bytes !== undefined && selfHashOf(bytes) === hash;
}

/**
 * The hash a manifest's text (or bytes) has with its `manifestHash` value zeroed, when it records that same
 * hash (the file is exactly as kubetyped wrote it); undefined when it records none or another.
 */
export function selfHashOf(text: string | Buffer): string | undefined {
  const part = (start: number, end?: number) => sliceOf(text, start, end);
  const start = text.indexOf(SELF_HASH_KEY);
  if (start < 0) return undefined;
  // The key is ASCII: its length is the same in characters and in bytes.
  const valueStart = start + SELF_HASH_KEY.length;
  const recorded = part(valueStart, valueStart + 64).toString();
  if (part(valueStart + 64, valueStart + 65).toString() !== '"') return undefined;
  const hash = createHash("sha256").update(part(0, valueStart)).update(UNHASHED).update(part(valueStart + 64)).digest("hex");
  return hash === recorded ? hash : undefined;
}

/** Part of a text or of bytes (offsets in characters or bytes), without copying bytes. */
function sliceOf(text: string | Buffer, start: number, end?: number): string | Buffer {
  return typeof text === "string" ? text.slice(start, end) : text.subarray(start, end);
}

/** Reads `<out>/manifest.json`; undefined when the folder or file does not exist. */
export async function readManifest(out: string): Promise<Manifest | undefined> {
  const text = await readManifestText(out);
  return text === undefined ? undefined : parseManifest(text, join(out, MANIFEST_FILE));
}

/** The text of `<out>/manifest.json`, unparsed; undefined when the folder or file does not exist. */
async function readManifestText(out: string): Promise<string | undefined> {
  try {
    return await readFile(join(out, MANIFEST_FILE), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/** `text` (read from `file`) as a manifest; a WriteError naming the file when it is not one. */
export function parseManifest(text: string, file: string): Manifest {
  try {
    const parsed = JSON.parse(text) as Partial<Manifest>;
    if (parsed.generator !== "kubetyped" || !Array.isArray(parsed.files) || typeof parsed.summary !== "object") {
      throw new Error("not a kubetyped manifest (no generator/files/summary)");
    }
    return parsed as Manifest;
  } catch (error) {
    throw new WriteError(`cannot read the previous manifest (${(error as Error).message}); delete the file or the folder to regenerate from scratch`, {
      path: file,
      cause: error,
    });
  }
}

/**
 * The `inputHash` a manifest's text (or bytes) records, found without parsing it (110 MB at 2,000 CRDs): on
 * its own line as a top-level key, as manifests are written. Undefined when there is no such line (an older or
 * reshaped file, then judged like a changed one).
 */
export function recordedInputHash(text: string | Buffer): string | undefined {
  const key = '\n  "inputHash": "';
  const start = text.indexOf(key);
  if (start < 0) return undefined;
  // ASCII key and value: offsets are the same in characters and in bytes.
  const value = sliceOf(text, start + key.length, start + key.length + 65).toString();
  return /^[0-9a-f]{64}"$/.test(value) ? value.slice(0, 64) : undefined;
}
