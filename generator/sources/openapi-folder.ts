import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { OpenAPIV3 } from "openapi-types";
import { deriveDiscoveryFromOpenApiV3 } from "./derive-discovery.js";
import { SourceError } from "./errors.js";
import type { SourceSet } from "./types.js";

/**
 * A SourceSet from a folder of `/openapi/v3` documents laid out as the server serves them
 * (`api/v1.json`, `apis/<group>/<version>.json`), with discovery derived from their paths.
 * For tests and the corpus: no cluster, no discovery documents.
 */
export async function loadOpenApiV3Folder(dir: string): Promise<SourceSet> {
  const documents = new Map<string, OpenAPIV3.Document>();
  const hashes = new Map<string, string>();
  const read = async (file: string, key: string) => {
    const text = await readFile(file, "utf8");
    let document: OpenAPIV3.Document;
    try {
      document = JSON.parse(text) as OpenAPIV3.Document;
    } catch (error) {
      throw new SourceError(`not valid JSON (${(error as Error).message}); expected an /openapi/v3 document`, { url: file, cause: error });
    }
    documents.set(key, document);
    hashes.set(key, createHash("sha256").update(text).digest("hex"));
  };

  for (const file of await listJson(path.join(dir, "api"))) await read(path.join(dir, "api", file), `core/${file.slice(0, -5)}`);
  for (const group of await listDirectories(path.join(dir, "apis"))) {
    for (const file of await listJson(path.join(dir, "apis", group))) {
      await read(path.join(dir, "apis", group, file), `${group}/${file.slice(0, -5)}`);
    }
  }
  if (documents.size === 0) {
    throw new SourceError("holds no OpenAPI v3 documents; expected api/v1.json or apis/<group>/<version>.json", { url: dir });
  }
  return {
    origin: `openapi folder ${dir}`,
    groupVersions: deriveDiscoveryFromOpenApiV3(documents),
    openapi: { kind: "v3", documents },
    hashes,
    skipped: [],
    warnings: [],
  };
}

async function listJson(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".json")).map((entry) => entry.name).sort();
}

async function listDirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}
