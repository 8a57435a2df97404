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
 * the same API generates the same bytes whether read live or from a snapshot. The API summary is not in
 * it: each group/version's lies in its own file (`summary-files.ts`), read only when it changed.
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
  /** How many resources and types the output holds, so a run with nothing to redo reports them unread. */
  totals?: { resources: number; types: number };
  /**
   * Generated for several targets: each one (oldest first) with its own document hashes; the top-level
   * `sourceHashes` then combine theirs. Absent for one target.
   */
  targets?: ManifestTarget[];
  /** Generated for several targets: what the output leaves out or narrows of each, and why. */
  omitted?: Omission[];
}

/**
 * A manifest as found in a folder: older generators (before the summary files) also wrote the whole summary
 * into it, and a hash of the file itself, which the next generation still reads.
 */
export interface FoundManifest extends Manifest {
  summary?: ModelSummary;
  manifestHash?: string;
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
  return `${canonicalJson(manifest, 2)}\n`;
}

/** Whether `text` is `serializeManifest(manifest)`: the manifest file untouched since it was written. */
export function isSerializedManifest(manifest: FoundManifest, text: string): boolean {
  return text.endsWith("\n") && isCanonicalJson(manifest, text.slice(0, -1), 2);
}

/** `<out>/manifest.json` with its text; undefined when the folder or file does not exist. */
export async function readManifestFile(out: string): Promise<{ manifest: FoundManifest; text: string } | undefined> {
  const file = join(out, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
  return { manifest: parseManifest(text, file), text };
}

/** Reads `<out>/manifest.json`; undefined when the folder or file does not exist. */
export async function readManifest(out: string): Promise<FoundManifest | undefined> {
  return (await readManifestFile(out))?.manifest;
}

/** `text` (read from `file`) as a manifest; a WriteError naming the file when it is not one. */
export function parseManifest(text: string, file: string): FoundManifest {
  try {
    const parsed = JSON.parse(text) as Partial<FoundManifest>;
    if (parsed.generator !== "kubetyped" || !Array.isArray(parsed.files)) throw new Error("not a kubetyped manifest (no generator/files)");
    return parsed as FoundManifest;
  } catch (error) {
    throw new WriteError(`cannot read the previous manifest (${(error as Error).message}); delete the file or the folder to regenerate from scratch`, {
      path: file,
      cause: error,
    });
  }
}
