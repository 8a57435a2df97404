// `kubetyped validate`: manifests (YAML/JSON, several documents a file) checked against one or several targets' schemas.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { validateWithModule } from "../../runtime/validate/index.js";
import type { GeneratorLog } from "../sources/log.js";
import type { TargetSource } from "../targets.js";
import { kindKey, schemaSetFromFolder, schemaSetFromTarget, type SchemaSet } from "./schema-sets.js";

export interface ValidateManifestsOptions {
  /** Files, folders (every .yaml/.yml/.json below, sorted) or `-` (stdin). */
  files: string[];
  /** Check against this generated folder's validators (when no targets). */
  out?: string;
  /** Check against each of these (a manifest must be valid on all). */
  targets?: TargetSource[];
  cacheDir?: string;
  log?: GeneratorLog;
  readStdin?: () => Promise<string>;
}

/** One problem: `file:doc:path: message`; `field` is empty for a problem with the document itself. */
export interface ManifestProblem {
  file: string;
  /** 1-based document number in the file. */
  document: number;
  field: string;
  message: string;
  /** Several targets: which one refuses it. */
  target?: string;
  /** The document could not be checked at all (not YAML, no apiVersion/kind, a kind not served). */
  badInput?: boolean;
}

export interface ValidateManifestsResult {
  documents: number;
  problems: ManifestProblem[];
}

interface Manifest {
  file: string;
  document: number;
  value?: unknown;
  error?: string;
}

export async function validateManifests(options: ValidateManifestsOptions): Promise<ValidateManifestsResult> {
  const sets: SchemaSet[] = [];
  if (options.targets && options.targets.length > 0) {
    for (const target of options.targets) sets.push(await schemaSetFromTarget(target, options));
  } else {
    sets.push(await schemaSetFromFolder(options.out ?? "generated"));
  }
  const manifests = await readManifests(options.files, options.readStdin);
  const problems: ManifestProblem[] = [];
  for (const manifest of manifests) problems.push(...checkManifest(manifest, sets));
  return { documents: manifests.length, problems };
}

function checkManifest(manifest: Manifest, sets: readonly SchemaSet[]): ManifestProblem[] {
  const at = { file: manifest.file, document: manifest.document };
  if (manifest.error !== undefined) return [{ ...at, field: "", message: manifest.error, badInput: true }];
  const value = manifest.value as Record<string, unknown>;
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== "string" || typeof kind !== "string" || apiVersion === "" || kind === "") {
    return [{ ...at, field: "", message: "no apiVersion/kind: every document needs both (e.g. apiVersion: apps/v1, kind: Deployment)", badInput: true }];
  }
  const problems: ManifestProblem[] = [];
  for (const set of sets) {
    const target = sets.length > 1 ? { target: set.label } : {};
    const found = set.kinds.get(kindKey(apiVersion, kind));
    if (found === undefined) {
      problems.push({ ...at, ...target, field: "", message: `${apiVersion} ${kind} is not served${sets.length > 1 ? "" : ` by ${set.label}`}`, badInput: true });
      continue;
    }
    for (const error of validateWithModule(found.module, found.entry.type, value, found.entry.status)) {
      problems.push({ ...at, ...target, field: error.field, message: error.message });
    }
  }
  return problems;
}

/** Every document of every input, in order; a file that is not YAML is one document with its error. */
async function readManifests(inputs: readonly string[], readStdin?: () => Promise<string>): Promise<Manifest[]> {
  const { parseAllDocuments } = await import("yaml");
  const manifests: Manifest[] = [];
  for (const file of await expandInputs(inputs)) {
    const text = file === "-" ? await (readStdin ?? readAllStdin)() : await readFile(file, "utf8");
    const name = file === "-" ? "<stdin>" : file;
    let number = 0;
    for (const document of parseAllDocuments(text)) {
      number++;
      if (document.errors.length > 0) {
        manifests.push({ file: name, document: number, error: `not YAML or JSON: ${document.errors[0]!.message.split("\n")[0]}` });
        continue;
      }
      const value: unknown = document.toJS();
      if (value === null || value === undefined) continue;
      if (typeof value !== "object" || Array.isArray(value)) {
        manifests.push({ file: name, document: number, error: "not an object: a manifest is a mapping with apiVersion, kind and metadata" });
      } else {
        manifests.push({ file: name, document: number, value });
      }
    }
  }
  return manifests;
}

async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === "-") {
      files.push(input);
      continue;
    }
    const info = await stat(input).catch(() => undefined);
    if (info === undefined) throw new Error(`${input}: no such file or folder; give manifests with -f FILE, -f DIR or -f - (stdin)`);
    if (!info.isDirectory()) {
      files.push(input);
      continue;
    }
    const below = (await readdir(input, { recursive: true })).filter((file) => /\.(ya?ml|json)$/i.test(file)).sort();
    files.push(...below.map((file) => path.join(input, file)));
  }
  return files;
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** `file:doc:path: message`, one line per problem (`on TARGET` with several targets). */
export function formatProblems(problems: readonly ManifestProblem[]): string {
  return problems
    .map((problem) => {
      const where = `${problem.file}:${problem.document}${problem.field === "" ? "" : `:${problem.field}`}`;
      return `${where}: ${problem.message}${problem.target === undefined ? "" : ` (on ${problem.target})`}\n`;
    })
    .join("");
}
