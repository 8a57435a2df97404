import { createHash } from "node:crypto";
import { join } from "node:path";
import { PRETTIER_VERSION } from "../toolchain.js";
import { canonicalJson } from "../sources/canonical-json.js";
import { PRETTIER_OPTIONS, type OutputFile } from "./format.js";
import { isSerializedManifest, MANIFEST_FILE, type Manifest } from "./manifest.js";
import { readBytesIfExists, readIfExists } from "../files.js";

/** Prettier is a pure function of its input, version and options: equal keys give equal output. */
export function emittedHash(file: OutputFile): string {
  return sha256(`${PRETTIER_VERSION}\n${canonicalJson(PRETTIER_OPTIONS)}\n${file.path}\n${file.content}`);
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The formatted bytes of `file` from the previous generation in `out`, when it was formatted from the very
 * same emitted text and the file on disk is still exactly what was written (not edited since); else undefined.
 */
export function formattedFromPreviousRun(out: string, previous: Manifest | undefined): (file: OutputFile, emitted: string) => Promise<string | undefined> {
  const recorded = previous?.fileHashes ?? {};
  return async (file, emitted) => {
    const entry = recorded[file.path];
    if (entry === undefined || entry.emitted !== emitted) return undefined;
    const current = await readIfExists(join(out, ...file.path.split("/")));
    return current !== undefined && sha256(current) === entry.written ? current : undefined;
  };
}

/**
 * Whether `out` still holds exactly what `manifest` says was written there: every listed file with its
 * recorded hash, and the manifest file itself in its canonical form. A hand edit makes it false.
 */
export async function treeMatchesManifest(out: string, manifest: Manifest): Promise<boolean> {
  const hashes = manifest.fileHashes;
  if (hashes === undefined) return false;
  const text = await readIfExists(join(out, MANIFEST_FILE));
  if (text === undefined || !isSerializedManifest(manifest, text)) return false;
  if (manifest.files.some((path) => hashes[path] === undefined)) return false;
  // Read all at once (an unchanged run's time is mostly waiting on files); bytes hash as the text they were written from.
  const matches = await Promise.all(
    manifest.files.map(async (path) => {
      const current = await readBytesIfExists(join(out, ...path.split("/")));
      return current !== undefined && sha256(current) === hashes[path]!.written;
    }),
  );
  return matches.every(Boolean);
}
