import { createHash } from "node:crypto";
import { join } from "node:path";
import { isSerializedManifest, MANIFEST_FILE, type FoundManifest } from "./manifest.js";
import { readBytesIfExists, readIfExists } from "../files.js";

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Whether `out` still holds exactly what `manifest` says was written there: every listed file with its
 * recorded hash, and the manifest file itself as it was written. A hand edit makes it false. `manifestText`:
 * the manifest file's text when the caller has already read it.
 */
export async function treeMatchesManifest(out: string, manifest: FoundManifest, manifestText?: string): Promise<boolean> {
  const hashes = manifest.fileHashes;
  if (hashes === undefined) return false;
  const text = manifestText ?? (await readIfExists(join(out, MANIFEST_FILE)));
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
