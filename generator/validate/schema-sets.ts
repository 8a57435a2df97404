// What manifests are checked against: the output folder's `.validate.ts` data, or the schemas a cluster or folder serves.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SchemaNode, ValidationModule } from "../../runtime/validate/index.js";
import { groupVersionKey } from "../../runtime/core/group-version.js";
import { createDocumentCache } from "../cache/document-cache.js";
import { kindsOf, type KindEntry } from "../emit/validation.js";
import type { GeneratorLog } from "../sources/log.js";
import type { TargetSource } from "../targets.js";

/** One target's schemas: kinds by `<module key> <kind>`, and every module's data. */
export interface SchemaSet {
  label: string;
  kinds: Map<string, { module: ValidationModule; entry: KindEntry }>;
}

/** `apps/v1` + `Deployment` → the key `kinds` uses. */
export function kindKey(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf("/");
  return `${slash < 0 ? groupVersionKey("", apiVersion) : groupVersionKey(apiVersion.slice(0, slash), apiVersion.slice(slash + 1))} ${kind}`;
}

/** Every module linked to every other: `$ref`s resolve across the whole set. */
function linked(label: string, data: Map<string, { schemas: Record<string, SchemaNode>; kinds: Record<string, KindEntry> }>): SchemaSet {
  const imports: Record<string, ValidationModule> = {};
  const set: SchemaSet = { label, kinds: new Map() };
  for (const [key, { schemas, kinds }] of data) {
    const module: ValidationModule = { module: key, schemas, imports };
    imports[key] = module;
    for (const [kind, entry] of Object.entries(kinds)) set.kinds.set(`${key} ${kind}`, { module, entry });
  }
  return set;
}

const JSON_CONSTANT = /export const (kinds|schemas) = JSON\.parse\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"),?\s*\);/g;
const MODULE_KEY = /export const module = ("(?:[^"\\]|\\.)*");/;

/** The `.validate.ts` files of a folder `kubetyped generate` wrote, read as data (never imported). */
export async function schemaSetFromFolder(out: string): Promise<SchemaSet> {
  const files = (await readdir(out, { recursive: true })).filter((file) => file.endsWith(".validate.ts")).sort();
  if (files.length === 0) {
    throw new Error(`${out} holds no validators (*.validate.ts); run \`kubetyped generate --out ${out}\` (without --no-validators), or check against --from DIR / --context NAME`);
  }
  const data = new Map<string, { schemas: Record<string, SchemaNode>; kinds: Record<string, KindEntry> }>();
  for (const file of files) {
    const text = await readFile(path.join(out, file), "utf8");
    const key = MODULE_KEY.exec(text);
    const constants = Object.fromEntries([...text.matchAll(JSON_CONSTANT)].map((match) => [match[1], JSON.parse(stringValue(match[2]!))]));
    if (key === null || constants["schemas"] === undefined) throw new Error(`${path.join(out, file)} is not a validator kubetyped wrote; regenerate ${out}`);
    data.set(JSON.parse(key[1]!) as string, { schemas: constants["schemas"], kinds: constants["kinds"] ?? {} });
  }
  return linked(`${out}`, data);
}

/** A JavaScript string literal's value (the two quote styles the emitter writes). */
function stringValue(literal: string): string {
  if (literal.startsWith('"')) return JSON.parse(literal) as string;
  return JSON.parse(`"${literal.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
}

/** The schemas a cluster, snapshot or OpenAPI folder serves, as a generation with validators would emit them. */
export async function schemaSetFromTarget(target: TargetSource, options: { cacheDir?: string; log?: GeneratorLog }): Promise<SchemaSet> {
  const { loadSources } = await import("../sources/index.js");
  const { buildModel } = await import("../model/index.js");
  const sources = await loadSources({
    ...target,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.cacheDir === undefined ? {} : { cache: createDocumentCache(options.cacheDir) }),
  });
  const model = buildModel(sources, { validation: true });
  const data = new Map<string, { schemas: Record<string, SchemaNode>; kinds: Record<string, KindEntry> }>();
  for (const [key, schemas] of model.validation!.modules) data.set(key, { schemas, kinds: kindsOf(model, key) });
  return linked(sources.serverVersion?.gitVersion ?? sources.origin, data);
}
