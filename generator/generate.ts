import { createHash } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ClusterConnection } from "../runtime/config/types.js";
import type { ApiModel, ModelSummary, Omission } from "./model/index.js";
import {
  loadSources,
  openSources,
  UNLISTED_REASON,
  type DocumentFetcher,
  type GeneratorLog,
  type SkippedGroupVersion,
  type SourceInputs,
  type SourceSet,
} from "./sources/index.js";
import { GENERATOR_VERSION, RUNTIME_VERSION_RANGE } from "./version.js";
import { compareSummaries, SummaryComparison, type ChangeReport } from "./model/compare.js";
import { MANIFEST_FILE, parseManifest, readManifest, recordedInputHash, type Manifest } from "./write/manifest.js";
import { outlineManifest, readManifestWithVersion, readSummaryEntries, type ManifestOutline, type ManifestRead } from "./write/manifest-outline.js";
import type { FileChange, PreviousManifest, WriteOutputOptions } from "./write/index.js";
import { WriteError } from "./write/errors.js";
import { treeMatchesManifest } from "./write/incremental.js";
import { createDocumentCache, type DocumentCache, type DocumentCacheStats } from "./cache/document-cache.js";
import { inputFingerprint } from "./input-fingerprint.js";
import { recoverInterruptedSwap, stagingFolderFor, swapFolderInto, type TreeIo } from "./write/tree.js";
import { groupVersionKey } from "../runtime/request/group-version.js";
import { buildTargetsModel, fingerprintOfTargets, labelledWarnings, openTargets, type CarriedGroups, type TargetSource } from "./targets.js";

/** Where API knowledge comes from: a live cluster, a snapshot folder, or any fetcher (tests). */
export interface SourceOptions {
  connection?: ClusterConnection;
  from?: string;
  fetcher?: DocumentFetcher;
  /** `--groups` entries: `batch`, `apps/v1`, `core/v1`. */
  groups?: string[];
  log?: GeneratorLog;
}

export interface GenerateOptions extends SourceOptions {
  /**
   * Several targets (live clusters, snapshots, OpenAPI v3 folders) instead of `connection`/`from`/`fetcher`:
   * the output holds what every one of them serves, and `manifest.json` records what it leaves out of each.
   */
  targets?: TargetSource[];
  /** Output folder (the CLI's default is `generated`). */
  out: string;
  /** Compare with the folder and report drift; write nothing. */
  check?: boolean;
  /** Also record every document read into this snapshot folder. */
  record?: string;
  /** Module generated code imports the runtime from (default `kubetyped/runtime`). */
  runtimeImport?: string;
  /**
   * Also emit `<group>/<version>.validate.ts` (the schema's validation keywords as data) and point each descriptor
   * at it, for `validate()` and `connect({ validate: "before-send" })`. One target only.
   */
  validators?: boolean;
  /** File operations of the swap (tests simulate crashes). */
  io?: TreeIo;
  /**
   * Write a folder even when the inputs serve no group/version (or a target contributes none). Without it,
   * that is an error and `out` is left as it was: an unreadable or wrong source must not empty a project.
   */
  allowEmpty?: boolean;
  /**
   * Generate resources no OpenAPI schema describes as `{ [key: string]: unknown }` (with a warning). Without it,
   * a live source is read again until their schemas appear (up to `schemaWaitMs`), then it is an error.
   */
  allowUntyped?: boolean;
  /** How long a live source is waited for missing schemas (default 30 s). */
  schemaWaitMs?: number;
  /**
   * Several targets: intersect them as they are. Without it, an OpenAPI folder serving only built-in groups
   * (a Kubernetes release's, as in ../shared/k8s/openapi-v3/1.25) is given the CRD and aggregated groups the
   * other targets serve, which a cluster upgraded to that release keeps serving (`GenerateResult.carried`).
   */
  strictTargets?: boolean;
  /**
   * Folder of the OpenAPI document cache (by content hash); absent: no cache. The CLI passes
   * `defaultOpenApiCacheDir()` unless `--no-cache`.
   */
  cacheDir?: string;
}

/** One target of a generation for several, as the result names it. */
export interface GeneratedTarget {
  /** Its Kubernetes version, or where it was read when it has none; the name `omitted` uses. */
  label: string;
  /** Where it was read: the server URL, `snapshot DIR`, `openapi folder DIR`. */
  origin: string;
  serverVersion?: string;
}

export interface GenerateResult {
  origin: string;
  /** `gitVersion` of the server, when known (one target only). */
  serverVersion?: string;
  /** Generated group/version modules (`batch/v1`), sorted. */
  groupVersions: string[];
  /** Distinct API groups among them ("core" for the core group). */
  groups: number;
  resources: number;
  types: number;
  /** Files in the output folder this run produced, manifest included. */
  files: number;
  durationMs: number;
  skipped: SkippedGroupVersion[];
  warnings: string[];
  /** API differences from the previous generation in `out` (all additions when there was none). */
  report: ChangeReport;
  /** File differences from what `out` held. */
  changes: FileChange[];
  written: boolean;
  /** `check` only: the folder is not what this run would write. */
  drift: boolean;
  /**
   * How much of the previous generation was reused: `all` when the inputs' fingerprint matched and the folder
   * was untouched (no model or emit at all); else the number of files the folder already held byte for byte.
   */
  reused: { all: boolean; files: number };
  /** The OpenAPI document cache, when one was used. */
  cache?: DocumentCacheStats & { dir: string };
  /** Several targets: each one, oldest first (the canonical order). */
  targets?: GeneratedTarget[];
  /** Several targets: what the output leaves out or narrows of each, and why (also in `manifest.json`). */
  omitted?: Omission[];
  /** Several targets: the extension group/versions given to release folders from the other targets (see `strictTargets`). */
  carried?: CarriedGroups[];
}

/** What the result says of the inputs, whether or not anything was regenerated. */
interface InputsDescription {
  origin: string;
  serverVersion?: string;
  skipped: SkippedGroupVersion[];
  warnings: string[];
  targets?: GeneratedTarget[];
}

/** The manifest's account of where the output came from. */
type ManifestSource = Pick<Manifest, "clusterVersion" | "openapi" | "sourceHashes" | "skipped" | "targets" | "omitted">;

/**
 * The manifest `out` held before this run: parsed (`found`; undefined: it has none), or outlined, its summary
 * left in the file until compared. Absent where it is passed on: unreadable (the write reports why).
 */
type PreviousRead = { found: Manifest | undefined } | { outline: ManifestOutline };

/** The model of a generation, summarized and compared with the previous one before anything is emitted. */
interface Compared {
  summary: ModelSummary;
  report: ChangeReport;
  /** What writing needs of the previous manifest; absent: it could not be read (the write reports why). */
  previous?: WriteOutputOptions["previous"];
}

/** Inputs read: either `out` already holds their output, or the model to generate and what the manifest says of it. */
type Prepared =
  | { unchanged: Manifest; inputs: InputsDescription }
  | ({ model: ApiModel; fingerprint: string; inputs: InputsDescription; source: ManifestSource; omitted?: Omission[]; carried?: CarriedGroups[] } & Compared);

/** sources → model → emit → write: regenerates `out` from a cluster, a snapshot, or several targets. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const log = options.log ?? {};
  if (!options.check) for (const line of await recoverInterruptedSwap(options.out)) log.warn?.(line);
  const cache = options.cacheDir === undefined ? undefined : createDocumentCache(options.cacheDir);
  const cacheStats = () => (cache === undefined ? {} : { cache: { dir: cache.dir, ...cache.stats } });
  const targets = targetsOf(options);
  const prepared = targets.length > 1 ? await prepareTargets(targets, options, cache) : await prepareOne({ ...options, ...targets[0] }, cache);
  if ("unchanged" in prepared) {
    log.progress?.(`${options.out} was generated from these very inputs and is untouched: nothing to redo`);
    return { ...unchangedResult(prepared.inputs, prepared.unchanged, started), ...cacheStats() };
  }
  const { model, inputs, summary } = prepared;
  const emitted = await emitFiles(model, options, log);
  log.progress?.(options.check ? `comparing with ${options.out}` : `writing ${options.out}`);
  const { writeOutput } = await import("./write/index.js");
  const written = await writeOutput({
    out: options.out,
    files: emitted,
    manifest: manifestOf(prepared.source, summary, prepared.fingerprint),
    ...(prepared.previous === undefined ? {} : { previous: prepared.previous }),
    ...(options.check === undefined ? {} : { check: options.check }),
    ...(options.io === undefined ? {} : { io: options.io }),
  });
  return {
    ...describedInputs(inputs),
    groupVersions: model.groups.flatMap((group) => group.versions.map((version) => version.key)).sort(),
    groups: model.groups.length,
    ...countsOf(summary),
    files: written.files.length,
    durationMs: Math.round(performance.now() - started),
    report: prepared.report,
    changes: written.changes,
    written: written.written,
    drift: options.check === true && written.changes.length > 0,
    reused: { all: false, files: written.reused },
    ...cacheStats(),
    ...(prepared.omitted === undefined ? {} : { omitted: prepared.omitted }),
    ...(prepared.carried === undefined || prepared.carried.length === 0 ? {} : { carried: prepared.carried }),
  };
}

/** The targets to read: `targets`, or the one source of `connection`/`from`/`fetcher`. */
function targetsOf(options: GenerateOptions): TargetSource[] {
  if (options.targets === undefined) return [pickDefined(options, ["connection", "from", "fetcher"])];
  if (options.connection !== undefined || options.from !== undefined || options.fetcher !== undefined) {
    throw new Error("generate: pass either targets or connection/from/fetcher, not both");
  }
  if (options.targets.length === 0) throw new Error("generate: targets is empty; give at least one cluster, snapshot or OpenAPI folder");
  if (options.targets.length > 1 && options.record !== undefined) {
    throw new WriteError("--record records one target; record each cluster with `npx kubetyped snapshot --out DIR` instead", { path: options.record });
  }
  if (options.targets.length > 1 && options.validators) {
    throw new Error("generate: validators are generated from one target; generate them from one cluster or folder (`kubetyped validate` checks manifests against several)");
  }
  return options.targets;
}

/** The modules, each printed only as the writer takes it: the output is never all in memory at once. */
async function emitFiles(model: ApiModel, options: GenerateOptions, log: GeneratorLog) {
  log.progress?.("emitting modules");
  // Loaded here, not at the top: an unchanged run never emits.
  const { emitModuleFiles } = await import("./emit/index.js");
  return emitModuleFiles(model, {
    generatorVersion: GENERATOR_VERSION,
    ...(options.runtimeImport === undefined ? {} : { runtimeImport: options.runtimeImport }),
  });
}

function manifestOf(source: ManifestSource, summary: ModelSummary, fingerprint: string): Omit<Manifest, "files" | "fileHashes"> {
  return {
    generator: "kubetyped",
    generatorVersion: GENERATOR_VERSION,
    runtimeVersion: RUNTIME_VERSION_RANGE,
    ...source,
    summary,
    inputHash: fingerprint,
  };
}

function describedInputs(inputs: InputsDescription): Pick<GenerateResult, "origin" | "serverVersion" | "skipped" | "warnings" | "targets"> {
  return {
    origin: inputs.origin,
    skipped: inputs.skipped,
    warnings: inputs.warnings,
    ...(inputs.serverVersion === undefined ? {} : { serverVersion: inputs.serverVersion }),
    ...(inputs.targets === undefined ? {} : { targets: inputs.targets }),
  };
}

/** How long a live generation waits for schemas discovery already serves (1.20 publishes a CRD's seconds after Established). */
const SCHEMA_WAIT_MS = 30_000;
const SCHEMA_POLL_MS = 1_000;

/**
 * One source: read, fingerprinted, and (unless `out` already holds its output) modelled. What discovery serves
 * but OpenAPI does not describe yet (resources without a schema; group/versions the /openapi/v3 index does not
 * list) is waited for: a live source is read again each second, up to `schemaWaitMs`. Then resources still
 * without a schema are refused unless `allowUntyped` (an untyped client is never the silent result of a CRD
 * created a moment ago); unlisted group/versions stay skipped, with their warning.
 */
async function prepareOne(options: GenerateOptions, cache: DocumentCache | undefined): Promise<Prepared> {
  const started = performance.now();
  // The model loads only now: an unchanged run needs none of it, and each import costs start-up.
  const { buildModel, assertServesSomething, untypedResources, UntypedResourcesError } = await import("./model/index.js");
  const waitFor = (pending: string[]) => waitedForSchemas(pending, started, options);
  for (;;) {
    const read = await sourcesUnlessUnchanged(options, cache);
    if ("unchanged" in read) return { unchanged: read.unchanged, inputs: describeSource(read.inputs) };
    const unlisted = read.sources.skipped.filter((entry) => entry.reason.startsWith(UNLISTED_REASON));
    if (await waitFor(unlisted.map((entry) => `${entry.groupVersion} (not in /openapi/v3)`))) continue;
    options.log?.progress?.("building the model");
    // The documents go as the model reads them: nothing else needs them (see BuildModelOptions.consumeDocuments).
    const model = buildModel(read.sources, {
      consumeDocuments: true,
      ...(options.groups === undefined ? {} : { groups: options.groups }),
      ...(options.validators && { validation: true }),
    });
    reportLeftToServer(model, options.log);
    const untyped = options.allowUntyped ? [] : untypedResources(model);
    if (await waitFor(untyped)) continue;
    if (untyped.length > 0) {
      throw new UntypedResourcesError(untyped, { origin: read.sources.origin, ...(options.from === undefined ? { waitedMs: performance.now() - started } : {}) });
    }
    if (!options.allowEmpty) assertServesSomething(model, { name: read.sources.origin, skipped: read.sources.skipped });
    return preparedModel(model, read, options);
  }
}

/** Schema rules the generated validators cannot check, named once: the server alone checks them. */
function reportLeftToServer(model: ApiModel, log: GeneratorLog | undefined): void {
  const left = model.validation?.leftToServer ?? [];
  if (left.length === 0) return;
  const shown = left.slice(0, 20).map((line) => `  ${line}`);
  const more = left.length > shown.length ? [`  ... and ${left.length - shown.length} more`] : [];
  log?.warn?.([`${left.length} schema rule(s) are left to the server (the validators do not check them):`, ...shown, ...more].join("\n"));
}

/** Whether it waited (a live source with `pending` and time left): then the source is to be read again. */
async function waitedForSchemas(pending: readonly string[], started: number, options: GenerateOptions): Promise<boolean> {
  const waitedMs = performance.now() - started;
  const boundMs = options.schemaWaitMs ?? SCHEMA_WAIT_MS;
  if (pending.length === 0 || options.from !== undefined || waitedMs >= boundMs) return false;
  const more = pending.length > 1 ? ` and ${pending.length - 1} more` : "";
  options.log?.progress?.(`waiting for the OpenAPI schema of ${pending[0]}${more} (${Math.round(waitedMs / 1000)}s of ${Math.round(boundMs / 1000)}s)`);
  await delay(Math.min(SCHEMA_POLL_MS, boundMs - waitedMs));
  return true;
}

/** A single source's model with what the manifest and the report say of it. */
async function preparedModel(model: ApiModel, read: { sources: SourceSet; fingerprint: string; previous?: PreviousRead }, options: GenerateOptions): Promise<Prepared> {
  const { sources, fingerprint } = read;
  for (const warning of model.warnings) options.log?.warn?.(warning);
  const generatedKeys = new Set(model.groups.flatMap((group) => group.versions.map((version) => version.key)));
  const source: ManifestSource = {
    ...(sources.serverVersion?.gitVersion === undefined ? {} : { clusterVersion: sources.serverVersion.gitVersion }),
    openapi: sources.openapi.kind,
    sourceHashes: Object.fromEntries([...sources.hashes].filter(([key]) => generatedKeys.has(key))),
    skipped: sources.skipped,
  };
  const inputs = describeSource({ ...sources, warnings: [...sources.warnings, ...model.warnings] });
  return { model, fingerprint, inputs, source, ...(await compareWithPrevious(model, read.previous)) };
}

/**
 * The model's summary and how it differs from the previous generation's. Only what writing needs of the
 * previous manifest is passed on. An outlined one's summary is read a group/version at a time: neither held
 * through the model build (80 MB parsed at 2,000 CRDs, 120 MB more at the peak) nor parsed whole on top of it.
 */
async function compareWithPrevious(model: ApiModel, previous: PreviousRead | undefined): Promise<Compared> {
  const { summarizeModel } = await import("./model/index.js");
  const summary = summarizeModel(model);
  if (previous === undefined) return { summary, report: compareSummaries(undefined, summary) };
  if ("found" in previous) {
    const report = compareSummaries(previous.found?.summary, summary);
    return { summary, report, previous: { found: previous.found === undefined ? undefined : writtenFiles(previous.found) } };
  }
  const comparison = new SummaryComparison(summary);
  for await (const [key, old] of readSummaryEntries(previous.outline)) comparison.previous(key, old);
  return { summary, report: comparison.report(false), previous: { found: writtenFiles(previous.outline.head) } };
}

/** What writing needs of a previous manifest: the files it owns, and the hash it recorded of itself. */
function writtenFiles(manifest: Omit<Manifest, "summary">): PreviousManifest {
  return { files: manifest.files, ...(manifest.manifestHash === undefined ? {} : { manifestHash: manifest.manifestHash }) };
}

function describeSource(sources: Pick<SourceInputs, "origin" | "serverVersion" | "skipped" | "warnings">): InputsDescription {
  return {
    origin: sources.origin,
    skipped: sources.skipped,
    warnings: sources.warnings,
    ...(sources.serverVersion?.gitVersion === undefined ? {} : { serverVersion: sources.serverVersion.gitVersion }),
  };
}

/** Several targets: opened, fingerprinted together, and (unless `out` already holds their output) intersected. */
async function prepareTargets(targets: TargetSource[], options: GenerateOptions, cache: DocumentCache | undefined): Promise<Prepared> {
  const log = options.log ?? {};
  const opened = await openTargets(targets, { ...pickDefined(options, ["groups", "log"]), ...(cache === undefined ? {} : { cache }) });
  try {
    const described = (warnings: string[]): InputsDescription => ({
      origin: opened.map((target) => target.origin).join(" + "),
      skipped: opened.flatMap((target) => target.opened.inputs.skipped.map((entry) => ({ ...entry, reason: `${target.label}: ${entry.reason}` }))),
      warnings,
      targets: opened.map((target) => ({ label: target.label, origin: target.origin, ...versionOf(target.opened.inputs) })),
    });
    const fingerprint = await fingerprintOfTargets(opened, options);
    const previous = await previousGeneration(options.out, fingerprint);
    const sourceWarnings = labelledWarnings(opened.map((target) => ({ label: target.label, warnings: target.opened.inputs.warnings })));
    if ("unchanged" in previous) return { unchanged: previous.unchanged, inputs: described(sourceWarnings) };
    const built = await buildTargetsModel(opened, pickDefined(options, ["groups", "allowEmpty", "strictTargets"]), log);
    if (!options.allowUntyped) await assertTyped(built.model, described([]).origin);
    // What loading found (a document failing) is what the output is generated from.
    const loadedFingerprint = await fingerprintOfTargets(opened, options);
    const source: ManifestSource = {
      openapi: sameOpenApi(built.targets.map((target) => target.openapi)),
      sourceHashes: combinedHashes(built.targets),
      skipped: described([]).skipped,
      targets: built.targets,
      omitted: built.omitted,
    };
    const compared = await compareWithPrevious(built.model, previous.previous);
    return { model: built.model, fingerprint: loadedFingerprint, inputs: described(built.warnings), source, omitted: built.omitted, carried: built.carried, ...compared };
  } finally {
    await Promise.all(opened.map((target) => target.opened.close()));
  }
}

/** Several targets are not waited for (each was read once): resources no schema describes are refused outright. */
async function assertTyped(model: ApiModel, origin: string): Promise<void> {
  const { untypedResources, UntypedResourcesError } = await import("./model/index.js");
  const untyped = untypedResources(model);
  if (untyped.length > 0) throw new UntypedResourcesError(untyped, { origin });
}

function versionOf(inputs: SourceInputs): { serverVersion?: string } {
  return inputs.serverVersion?.gitVersion === undefined ? {} : { serverVersion: inputs.serverVersion.gitVersion };
}

function sameOpenApi(kinds: Array<"v2" | "v3">): Manifest["openapi"] {
  return kinds.every((kind) => kind === kinds[0]) ? kinds[0]! : "mixed";
}

/** Per generated group/version, one hash of every target's document for it (in canonical order). */
function combinedHashes(targets: ReadonlyArray<{ sourceHashes: Record<string, string> }>): Record<string, string> {
  const keys = new Set(targets.flatMap((target) => Object.keys(target.sourceHashes)));
  return Object.fromEntries(
    [...keys].sort().map((key) => [key, createHash("sha256").update(targets.map((target) => target.sourceHashes[key] ?? "").join("\n")).digest("hex")]),
  );
}

function pickDefined<T extends object, K extends keyof T>(object: T, keys: K[]): { [P in K]?: Exclude<T[P], undefined> } {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]])) as { [P in K]?: Exclude<T[P], undefined> };
}

/**
 * The sources to generate from and their fingerprint; or, when `out` was generated from these very inputs
 * and is untouched, its manifest, found without parsing (or fetching) any OpenAPI document.
 */
async function sourcesUnlessUnchanged(
  options: GenerateOptions,
  cache: DocumentCache | undefined,
): Promise<{ unchanged: Manifest; inputs: SourceInputs } | { sources: SourceSet; fingerprint: string; previous?: PreviousRead }> {
  const opened = await openSources({
    ...sourceOptions(options),
    schemasOnly: true,
    ...(options.record === undefined ? {} : { record: options.record }),
    ...(cache === undefined ? {} : { cache }),
  });
  try {
    const previous = await previousGeneration(options.out, await inputFingerprint(opened.inputs, options));
    if ("unchanged" in previous) return { unchanged: previous.unchanged, inputs: opened.inputs };
    const loaded = await opened.load();
    // What loading found (a document failing, a hash gone stale) is what the output is generated from.
    return { sources: loaded.sources, fingerprint: await inputFingerprint(loaded.inputs, options), ...previous };
  } finally {
    await opened.close();
  }
}

/**
 * Whether `out` was generated from inputs with this fingerprint and nobody touched it since (`unchanged`, its
 * manifest); else the manifest as the regeneration needs it (`previous`). Parsed whole (110 MB at 2,000 CRDs)
 * only when its text records this fingerprint, or when it is not exactly as kubetyped writes it.
 */
async function previousGeneration(out: string, fingerprint: string): Promise<{ unchanged: Manifest } | { previous?: PreviousRead }> {
  let read: ManifestRead | undefined;
  try {
    read = await readManifestWithVersion(out);
  } catch {
    // Unreadable: not ours to judge here, the write reports it.
    return {};
  }
  if (read === undefined) return { previous: { found: undefined } };
  const outline = recordedInputHash(read.bytes) === fingerprint ? undefined : outlineManifest(read);
  if (outline !== undefined) return { previous: { outline } };
  let manifest: Manifest;
  try {
    manifest = parseManifest(read.bytes.toString("utf8"), read.file);
  } catch {
    return {};
  }
  if (manifest.inputHash === fingerprint && (await treeMatchesManifest(out, manifest, read.bytes))) return { unchanged: manifest };
  return { previous: { found: manifest } };
}

function unchangedResult(inputs: InputsDescription, manifest: Manifest, started: number): GenerateResult {
  const groupVersions = Object.keys(manifest.sourceHashes).sort();
  return {
    ...describedInputs(inputs),
    groupVersions,
    groups: new Set(groupVersions.map((key) => key.slice(0, key.lastIndexOf("/")))).size,
    ...countsOf(manifest.summary),
    files: manifest.files.length + 1,
    durationMs: Math.round(performance.now() - started),
    // The summary compared with itself, without walking it.
    report: { entries: [], breaking: 0, initial: false },
    changes: [],
    written: false,
    drift: false,
    reused: { all: true, files: manifest.files.length },
    ...(manifest.omitted === undefined ? {} : { omitted: manifest.omitted }),
  };
}

function countsOf(summary: ModelSummary): { resources: number; types: number } {
  const entries = Object.values(summary.groupVersions);
  return {
    resources: entries.reduce((sum, gv) => sum + Object.keys(gv.resources).length, 0),
    types: entries.reduce((sum, gv) => sum + Object.keys(gv.types).length, 0),
  };
}

export interface SnapshotOptions extends SourceOptions {
  /** Snapshot folder to create (replaced whole if it exists). */
  out: string;
}

export interface SnapshotResult {
  origin: string;
  serverVersion?: string;
  groupVersions: string[];
  skipped: SkippedGroupVersion[];
  warnings: string[];
  durationMs: number;
}

/**
 * Records everything generation reads (discovery, OpenAPI, /version) into a snapshot folder that
 * `generate --from` replays. Recorded beside `out` first and swapped in, so a failed run leaves no half snapshot.
 */
export async function snapshot(options: SnapshotOptions): Promise<SnapshotResult> {
  const started = performance.now();
  for (const line of await recoverInterruptedSwap(options.out)) options.log?.warn?.(line);
  await assertReplaceableSnapshot(options.out);
  const staging = stagingFolderFor(options.out);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  let sources: SourceSet;
  try {
    sources = await loadSources({ ...sourceOptions(options), record: staging });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await swapFolderInto(staging, options.out);
  const result: SnapshotResult = {
    origin: sources.origin,
    groupVersions: sources.groupVersions.map((gv) => groupVersionKey(gv.group, gv.version)).sort(),
    skipped: sources.skipped,
    warnings: sources.warnings,
    durationMs: Math.round(performance.now() - started),
  };
  if (sources.serverVersion?.gitVersion !== undefined) result.serverVersion = sources.serverVersion.gitVersion;
  return result;
}

/** Only an empty folder or an earlier snapshot may be replaced: `snapshot --out .` must not swallow a project. */
async function assertReplaceableSnapshot(out: string): Promise<void> {
  const entries: string[] = await readdir(out).catch((error: NodeJS.ErrnoException): string[] => {
    if (error.code === "ENOENT") return [];
    if (error.code === "ENOTDIR") throw new WriteError("exists and is not a folder; choose another --out", { path: out });
    throw error;
  });
  const looksLikeSnapshot = ["version.json", "api.json", "api.aggregated.json"].some((name) => entries.includes(name));
  if (entries.length > 0 && !looksLikeSnapshot) {
    throw new WriteError("is not empty and not an earlier snapshot (no version.json or api.json); choose a new or empty --out", { path: out });
  }
}

/**
 * The API differences between two folders, each either a snapshot (modelled on the fly) or a generated
 * output folder (its manifest's summary is used).
 */
export async function diffApis(from: string, to: string, options: { groups?: string[]; log?: GeneratorLog } = {}): Promise<ChangeReport> {
  const [before, after] = await Promise.all([summaryOf(from, options), summaryOf(to, options)]);
  return compareSummaries(before, after);
}

async function summaryOf(folder: string, options: { groups?: string[]; log?: GeneratorLog }): Promise<ModelSummary> {
  const isFolder = await stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder) throw new Error(`${folder}: not a folder; give a snapshot folder (npx kubetyped snapshot --out DIR) or a generated folder`);
  const manifest = await readManifest(folder);
  if (manifest !== undefined) {
    options.log?.progress?.(`using ${join(folder, MANIFEST_FILE)}`);
    return manifest.summary;
  }
  const sources = await loadSources({ from: folder, ...(options.groups === undefined ? {} : { groups: options.groups }), ...(options.log === undefined ? {} : { log: options.log }) });
  const { buildModel, summarizeModel } = await import("./model/index.js");
  return summarizeModel(buildModel(sources, options.groups === undefined ? {} : { groups: options.groups }));
}

function sourceOptions(options: SourceOptions): SourceOptions {
  const picked: SourceOptions = {};
  if (options.connection !== undefined) picked.connection = options.connection;
  if (options.from !== undefined) picked.from = options.from;
  if (options.fetcher !== undefined) picked.fetcher = options.fetcher;
  if (options.groups !== undefined) picked.groups = options.groups;
  if (options.log !== undefined) picked.log = options.log;
  return picked;
}
