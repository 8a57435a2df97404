import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { OpenAPIV3 } from "openapi-types";
import { deriveDiscoveryFromOpenApiV3 } from "./derive-discovery.js";
import { assertOpenApiShape } from "./document-shape.js";
import { SourceError } from "./errors.js";
import { withDocuments, type OpenedSources, type SourceInputs, type SourceSet } from "./types.js";

/**
 * A SourceSet from a folder of `/openapi/v3` documents laid out as the server serves them
 * (`api/v1.json`, `apis/<group>/<version>.json`), with discovery derived from their paths.
 * For tests and the corpus: no cluster, no discovery documents.
 */
export async function loadOpenApiV3Folder(dir: string): Promise<SourceSet> {
  const opened = await openOpenApiV3Folder(dir);
  return (await opened.load()).sources;
}

/**
 * The folder read as bytes and hashed, nothing parsed: discovery is derived from the documents, so their
 * hashes are all the inputs there are, and parsing (most of an unchanged run's time) waits for `load`.
 */
export async function openOpenApiV3Folder(dir: string): Promise<OpenedSources> {
  const files = await listDocuments(dir);
  if (files.length === 0) {
    throw new SourceError("holds no OpenAPI v3 documents; expected api/v1.json or apis/<group>/<version>.json", { url: dir });
  }
  // Each hashed as it arrives, while the others are still being read. SHA-256 of the bytes: for UTF-8 files
  // the same hex as of their text, which older manifests recorded.
  const read = await Promise.all(
    files.map(async ({ file, key }) => {
      const bytes = await readFile(file);
      return { file, key, bytes, hash: createHash("sha256").update(bytes).digest("hex") };
    }),
  );
  const hashes = new Map(read.map(({ key, hash }) => [key, hash]));
  const inputs: SourceInputs = { origin: `openapi folder ${dir}`, discovery: "derived", openapi: "v3", hashes, skipped: [], warnings: [] };
  let loaded: ReturnType<OpenedSources["load"]> | undefined;
  const load = async () => {
    const documents = new Map(read.map(({ file, key, bytes }) => [key, parseDocument(file, bytes)]));
    return { sources: withDocuments(inputs, deriveDiscoveryFromOpenApiV3(documents), { kind: "v3", documents }), inputs };
  };
  return { inputs, load: () => (loaded ??= load()), close: async () => {} };
}

function parseDocument(file: string, bytes: Buffer): OpenAPIV3.Document {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new SourceError(`not valid JSON (${(error as Error).message}); expected an /openapi/v3 document`, { url: file, cause: error });
  }
  assertOpenApiShape(parsed, file, "v3");
  return parsed as OpenAPIV3.Document;
}

/** `api/<v>.json` as `core/<v>`, then `apis/<group>/<v>.json` as `<group>/<v>`, each sorted. */
async function listDocuments(dir: string): Promise<Array<{ file: string; key: string }>> {
  const core = (await listJson(path.join(dir, "api"))).map((file) => ({ file: path.join(dir, "api", file), key: `core/${file.slice(0, -5)}` }));
  const groups = await Promise.all(
    (await listDirectories(path.join(dir, "apis"))).map(async (group) =>
      (await listJson(path.join(dir, "apis", group))).map((file) => ({ file: path.join(dir, "apis", group, file), key: `${group}/${file.slice(0, -5)}` })),
    ),
  );
  return [...core, ...groups.flat()];
}

async function listJson(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".json")).map((entry) => entry.name).sort();
}

async function listDirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}
