import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RUNTIME_COMPATIBILITY } from "../runtime/core/version.js";
import { canonicalJson } from "./sources/canonical-json.js";
import type { SourceInputs } from "./sources/types.js";
import { GENERATOR_VERSION } from "./version.js";

/**
 * A hash of everything generated output is a function of: each target's documents (by their content hashes),
 * discovery and server version, with the label the output names it by (in the manifest and the omissions), in
 * the order given (which `openTargets` makes canonical); the options that shape output; and the code that
 * produces it (kubetyped's own generator modules, its printer included). Equal fingerprints give
 * byte-identical output, so a run whose fingerprint matches the last one, over an untouched folder, has
 * nothing to redo. Taken from `SourceInputs`, so it is known before any document is parsed.
 */
export async function targetsFingerprint(targets: ReadonlyArray<{ label: string; inputs: SourceInputs }>, options: FingerprintOptions): Promise<string> {
  const strictTargets = options.strictTargets ?? false;
  return sha256(canonicalJson({ ...(await toolchainFacts(options)), strictTargets, targets: targets.map(({ label, inputs }) => ({ label, ...sourceFacts(inputs) })) }));
}

/**
 * Whether loading a target found what opening it read: the same documents (by hash) and nothing more skipped.
 * Discovery and the server version are read once, by opening; loading changes only these.
 */
export function sameSourceFacts(opened: SourceInputs, loaded: SourceInputs): boolean {
  if (opened === loaded) return true;
  const sameHashes = opened.hashes.size === loaded.hashes.size && [...opened.hashes].every(([key, hash]) => loaded.hashes.get(key) === hash);
  return sameHashes && opened.v2DocumentHash === loaded.v2DocumentHash && canonicalJson(opened.skipped) === canonicalJson(loaded.skipped);
}

/** A hash of what one target serves (its documents, discovery, version), independent of where it was read. */
export function sourceFactsHash(sources: SourceInputs): string {
  return sha256(canonicalJson(sourceFacts(sources)));
}

interface FingerprintOptions {
  groups?: readonly string[] | undefined;
  runtimeImport?: string | undefined;
  /** Several targets: release folders are not given the other targets' CRD groups (changes the output). */
  strictTargets?: boolean | undefined;
  /** `.validate.ts` modules beside the types (changes the output). */
  validators?: boolean | undefined;
}

async function toolchainFacts(options: FingerprintOptions) {
  return {
    generatorVersion: GENERATOR_VERSION,
    generatorCode: await generatorCodeHash(),
    // Emitted into every descriptor, from outside the generator's folder.
    runtimeCompatibility: RUNTIME_COMPATIBILITY,
    groups: options.groups ?? null,
    runtimeImport: options.runtimeImport ?? null,
    ...(options.validators && { validators: true }),
  };
}

function sourceFacts(sources: SourceInputs) {
  return {
    serverVersion: sources.serverVersion?.gitVersion ?? null,
    // "derived" (an OpenAPI folder): a function of the documents, by this generator code — both hashed here.
    discovery: sources.discovery,
    skipped: sources.skipped,
    openapi: sources.openapi,
    documentHashes: Object.fromEntries(sources.hashes),
    // v2 hashes are per group/version subsets of one document; the whole document is what the model reads.
    v2Document: sources.v2DocumentHash ?? null,
  };
}

let codeHash: Promise<string> | undefined;

/** Hash of the generator's own modules (source or compiled), so a changed generator never reuses old output. */
function generatorCodeHash(): Promise<string> {
  codeHash ??= (async () => {
    const root = dirname(fileURLToPath(import.meta.url)); // generator/ (source or compiled)
    const files = await listCode(root);
    const contents = await Promise.all(files.map((file) => readFile(join(root, file))));
    const hash = createHash("sha256");
    files.forEach((file, index) => hash.update(`${file}\n`).update(contents[index]!));
    return hash.digest("hex");
  })();
  return codeHash;
}

async function listCode(root: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(join(root, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) return listCode(root, path);
      return /\.(ts|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
    }),
  );
  return nested.flat().sort();
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
