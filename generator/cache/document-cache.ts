import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readIfExists } from "../files.js";

/** How the cache did in one run (for the summary line and for tests). */
export interface DocumentCacheStats {
  /** Documents answered from disk. */
  hits: number;
  /** Documents not on disk (or unusable there) and fetched. */
  misses: number;
  /** Entries found on disk but broken (not JSON, or content not matching the hash): removed and fetched again. */
  rejected: number;
}

/**
 * OpenAPI documents on disk, keyed by the content hash the server puts in `serverRelativeURL` (`?hash=`).
 * A hash names one content for ever, so an entry never needs refreshing, only verifying.
 */
export interface DocumentCache {
  readonly dir: string;
  readonly stats: DocumentCacheStats;
  /** The document stored under `hash`, verified; undefined when absent or broken (a broken entry is removed). */
  read(hash: string): Promise<string | undefined>;
  /** Stores `body` under `hash` atomically (temp file + rename): a crash never leaves a half-written entry. */
  write(hash: string, body: string): Promise<void>;
}

export function createDocumentCache(dir: string): DocumentCache {
  const stats: DocumentCacheStats = { hits: 0, misses: 0, rejected: 0 };
  const fileOf = (hash: string) => join(dir, `${entryName(hash)}.json`);
  const digestFileOf = (hash: string) => join(dir, `${entryName(hash)}.sha256`);
  return {
    dir,
    stats,
    async read(hash) {
      const body = await readIfExists(fileOf(hash));
      if (body === undefined) {
        stats.misses++;
        return undefined;
      }
      const recordedDigest = digestKind(hash) === undefined ? await readIfExists(digestFileOf(hash)) : undefined;
      if (!isValidEntry(hash, body, recordedDigest)) {
        stats.rejected++;
        stats.misses++;
        await rm(fileOf(hash), { force: true });
        await rm(digestFileOf(hash), { force: true });
        return undefined;
      }
      stats.hits++;
      return body;
    },
    async write(hash, body) {
      await mkdir(dir, { recursive: true });
      // A hash that is not a digest of the content (an aggregated server's own scheme) gets the content's
      // SHA-256 beside it, so a read can still tell a damaged entry.
      if (digestKind(hash) === undefined) await writeAtomically(digestFileOf(hash), sha("sha256", body));
      await writeAtomically(fileOf(hash), body);
    },
  };
}

/**
 * Whether `body` is what `hash` names. kube-openapi's hash is the upper-case hex SHA-512 of the JSON it
 * serves; a 64-digit hex hash is taken as SHA-256. Any other hash is checked against the recorded digest.
 * The body must be JSON in every case.
 */
export function isValidEntry(hash: string, body: string, recordedDigest?: string): boolean {
  const kind = digestKind(hash);
  if (kind !== undefined && sha(kind, body) !== hash.toLowerCase()) return false;
  if (kind === undefined && (recordedDigest === undefined || recordedDigest.trim() !== sha("sha256", body))) return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** Whether the server's hash is a digest of the content we can recompute. */
export function hashMatchesContent(hash: string, body: string): boolean {
  return contentDigest(hash, body) === hash.toUpperCase();
}

/** `body`'s digest of the kind `hash` is (SHA-512 or SHA-256), upper-case hex as kube-openapi writes it; undefined for a hash of another shape. */
export function contentDigest(hash: string, body: string): string | undefined {
  const kind = digestKind(hash);
  return kind === undefined ? undefined : sha(kind, body).toUpperCase();
}

function digestKind(hash: string): "sha512" | "sha256" | undefined {
  if (/^[0-9a-fA-F]{128}$/.test(hash)) return "sha512";
  if (/^[0-9a-fA-F]{64}$/.test(hash)) return "sha256";
  return undefined;
}

/** The hash itself when it is a safe file name, else its SHA-256 (a hash is server-provided text). */
function entryName(hash: string): string {
  return /^[A-Za-z0-9_-]{1,160}$/.test(hash) ? hash : `h-${sha("sha256", hash)}`;
}

function sha(algorithm: "sha512" | "sha256", text: string): string {
  return createHash(algorithm).update(text).digest("hex");
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await writeFile(temp, content);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

