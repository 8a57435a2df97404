// sources → model → emit → write: one pipeline for one target or several (one target is a list of one).
import { createHash } from "node:crypto";
import type { ApiModel, ModelSummary, Omission } from "./model/index.js";
import type { GeneratorLog, SkippedGroupVersion, SourceInputs } from "./sources/index.js";
import { GENERATOR_VERSION, RUNTIME_VERSION_RANGE } from "./version.js";
import type { ChangeReport } from "./model/compare.js";
import type { FoundManifest, Manifest } from "./write/manifest.js";
import type { FileChange, OutputFile, WriteOutputResult } from "./write/index.js";
import { WriteError } from "./write/errors.js";
import { createDocumentCache, type DocumentCache, type DocumentCacheStats } from "./cache/document-cache.js";
import { sameSourceFacts } from "./input-fingerprint.js";
import { compareWithPrevious, previousOutput, type PreviousOutput } from "./previous-output.js";
import { summaryFiles } from "./write/summary-files.js";
import { recoverInterruptedSwap, type TreeIo } from "./write/tree.js";
import {
  buildTargetsModel,
  fingerprintOfTargets,
  labelledWarnings,
  readTargets,
  type CarriedGroups,
  type OpenedTarget,
  type SchemaWait,
  type SourceOptions,
  type TargetSource,
  type TargetsModel,
} from "./targets.js";

export type { SourceOptions } from "./targets.js";

export interface GenerateOptions extends SourceOptions {
  /**
   * Several targets (live clusters, snapshots, OpenAPI v3 folders) instead of `connection`/`from`/`fetcher`:
   * the output holds what every one of them serves, and `manifest.json` records what it leaves out of each.
   */
  targets?: TargetSource[] | undefined;
  /** Output folder (the CLI's default is `generated`). */
  out: string;
  /** Compare with the folder and report drift; write nothing. */
  check?: boolean | undefined;
  /** Also record every document read into this snapshot folder. */
  record?: string | undefined;
  /** The runtime package generated code imports from (default `kubetyped/runtime`; its `/plumbing` and `/validate` subpaths). */
  runtimeImport?: string | undefined;
  /**
   * Emit `<group>/<version>.validate.ts` (the schema's validation keywords as data) beside each module and point
   * each descriptor at it through a dynamic `import()`, for `validate()` and `connect({ validate: "before-send" })`
   * (default true). Several targets: an object is valid only if it is valid on every one of them. `false` writes
   * neither the files nor the descriptors' `validation`.
   */
  validators?: boolean | undefined;
  /** File operations of the swap (tests simulate crashes). */
  io?: TreeIo | undefined;
  /**
   * Write a folder even when the inputs serve no group/version (or a target contributes none). Without it,
   * that is an error and `out` is left as it was: an unreadable or wrong source must not empty a project.
   */
  allowEmpty?: boolean | undefined;
  /**
   * Generate resources no OpenAPI schema describes as `{ [key: string]: unknown }` (with a warning). Without it,
   * a live source is read again until their schemas appear (up to `schemaWaitMs`), then it is an error.
   */
  allowUntyped?: boolean | undefined;
  /** How long a live source is waited for missing schemas (default 30 s). */
  schemaWaitMs?: number | undefined;
  /**
   * Several targets: intersect them as they are. Without it, an OpenAPI folder serving only built-in groups
   * (a Kubernetes release's, as in ../shared/k8s/openapi-v3/1.25) is given the CRD and aggregated groups the
   * other targets serve, which a cluster upgraded to that release keeps serving (`GenerateResult.carried`).
   */
  strictTargets?: boolean | undefined;
  /**
   * Folder of the OpenAPI document cache (by content hash); absent: no cache. The CLI passes
   * `defaultOpenApiCacheDir()` unless `--no-cache`.
   */
  cacheDir?: string | undefined;
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

/** Inputs read: either `out` already holds their output, or the model to generate and what the manifest says of it. */
type Prepared = { unchanged: FoundManifest; inputs: InputsDescription } | Modelled;

interface Modelled {
  model: ApiModel;
  summary: ModelSummary;
  /** Absent when loading found other inputs than opening fingerprinted: then the output is not marked reusable. */
  fingerprint?: string;
  inputs: InputsDescription;
  source: ManifestSource;
  previous: PreviousOutput;
  report: ChangeReport;
  /** Several targets only. */
  several?: Pick<TargetsModel, "omitted" | "carried">;
}

/** sources → model → emit → write: regenerates `out` from a cluster, a snapshot, or several targets. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const log = options.log ?? {};
  if (!options.check) for (const line of await recoverInterruptedSwap(options.out)) log.warn?.(line);
  const cache = options.cacheDir === undefined ? undefined : createDocumentCache(options.cacheDir);
  const cacheStats = () => (cache === undefined ? {} : { cache: { dir: cache.dir, ...cache.stats } });
  const prepared = await prepare(targetsOf(options), options, cache);
  if ("unchanged" in prepared) {
    log.progress?.(`${options.out} was generated from these very inputs and is untouched: nothing to redo`);
    return { ...unchangedResult(prepared.inputs, prepared.unchanged, started), ...cacheStats() };
  }
  const written = await writeGeneration(prepared, options);
  return { ...generatedResult(prepared, written, options, started), ...cacheStats() };
}

/** The targets to read: `targets`, or the one source of `connection`/`from`/`fetcher`. */
function targetsOf(options: GenerateOptions): TargetSource[] {
  if (options.targets === undefined) return [{ connection: options.connection, from: options.from, fetcher: options.fetcher }];
  if (options.connection !== undefined || options.from !== undefined || options.fetcher !== undefined) {
    throw new Error("generate: pass either targets or connection/from/fetcher, not both");
  }
  if (options.targets.length === 0) throw new Error("generate: targets is empty; give at least one cluster, snapshot or OpenAPI folder");
  if (options.targets.length > 1 && options.record !== undefined) {
    throw new WriteError("--record records one target; record each cluster with `npx kubetyped snapshot --out DIR` instead", { path: options.record });
  }
  return options.targets;
}

/**
 * The targets read (`readTargets`: one live target read again while its schemas are not published yet) and
 * fingerprinted, then (unless `out` already holds their output) modelled. Resources still without a schema
 * after the wait are refused unless `allowUntyped` (an untyped client is never the silent result of a CRD
 * created a moment ago); unlisted group/versions stay skipped, with their warning.
 */
function prepare(targets: TargetSource[], options: GenerateOptions, cache: DocumentCache | undefined): Promise<Prepared> {
  const readOptions = { groups: options.groups, log: options.log, record: options.record, schemaWaitMs: options.schemaWaitMs, cache };
  return readTargets(targets, readOptions, (opened, wait) => prepareOpened(opened, options, wait));
}

/** Validators are emitted unless turned off. */
function validatorsOn(options: GenerateOptions): boolean {
  return options.validators !== false;
}

/** Schema rules the generated validators cannot check, named once: the server alone checks them. */
function reportLeftToServer(model: ApiModel, log: GeneratorLog | undefined): void {
  const left = model.validation?.leftToServer ?? [];
  if (left.length === 0) return;
  const shown = left.slice(0, 20).map((line) => `  ${line}`);
  const more = left.length > shown.length ? [`  ... and ${left.length - shown.length} more`] : [];
  log?.warn?.([`${left.length} schema rule(s) are left to the server (the validators do not check them):`, ...shown, ...more].join("\n"));
}

/** One reading of the opened targets; undefined when it waited for schemas and they are to be read again. */
async function prepareOpened(
  opened: OpenedTarget[],
  options: GenerateOptions,
  wait: SchemaWait,
): Promise<Prepared | undefined> {
  const fingerprint = await fingerprintOfTargets(opened, { ...options, validators: validatorsOn(options) });
  const previous = await previousOutput(options.out, fingerprint);
  const openedInputs = opened.map((target) => target.opened.inputs);
  if ("unchanged" in previous) return { unchanged: previous.unchanged, inputs: describeInputs(opened, openedInputs, labelledOf(opened, openedInputs)) };
  const { groups, allowEmpty, allowUntyped, strictTargets } = options;
  const built = await buildTargetsModel(opened, { groups, allowEmpty, allowUntyped, strictTargets, validation: validatorsOn(options), waitFor: wait.waitFor }, options.log ?? {});
  if (built === undefined) return undefined;
  reportLeftToServer(built.model, options.log);
  const inputs = describeInputs(opened, built.loaded, built.warnings);
  if (!options.allowUntyped) await assertTyped(built.model, inputs.origin, wait.waitedMs?.());
  const { summarizeModel } = await import("./model/index.js");
  const summary = summarizeModel(built.model, { rules: true });
  // What loading found (a document failing, a hash gone stale) is what the output is generated from: the
  // fingerprint of what opening read holds for it only when the two agree.
  const complete = built.loaded.every((loaded, index) => sameSourceFacts(openedInputs[index]!, loaded));
  return {
    model: built.model,
    summary,
    ...(complete ? { fingerprint } : {}),
    inputs,
    source: manifestSource(built, inputs),
    previous,
    report: await compareWithPrevious(options.out, summary, previous),
    ...(opened.length > 1 ? { several: { omitted: built.omitted, carried: built.carried } } : {}),
  };
}

/** Resources no schema describes are refused (after waiting, for one live target: `waitedMs`). */
async function assertTyped(model: ApiModel, origin: string, waitedMs: number | undefined): Promise<void> {
  const { untypedResources, UntypedResourcesError } = await import("./model/index.js");
  const untyped = untypedResources(model);
  if (untyped.length > 0) throw new UntypedResourcesError(untyped, { origin, ...(waitedMs === undefined ? {} : { waitedMs }) });
}

function labelledOf(opened: readonly OpenedTarget[], inputs: readonly SourceInputs[]): string[] {
  return labelledWarnings(opened.map((target, index) => ({ label: target.label, warnings: inputs[index]!.warnings })));
}

/** What the result says of the inputs: one target as itself, several each with its label. */
function describeInputs(opened: readonly OpenedTarget[], inputs: readonly SourceInputs[], warnings: string[]): InputsDescription {
  if (opened.length === 1) return { origin: inputs[0]!.origin, skipped: inputs[0]!.skipped, warnings, ...versionOf(inputs[0]!) };
  return {
    origin: opened.map((target) => target.origin).join(" + "),
    skipped: opened.flatMap((target, index) => inputs[index]!.skipped.map((entry) => ({ ...entry, reason: `${target.label}: ${entry.reason}` }))),
    warnings,
    targets: opened.map((target, index) => ({ label: target.label, origin: target.origin, ...versionOf(inputs[index]!) })),
  };
}

function versionOf(inputs: SourceInputs): { serverVersion?: string } {
  return inputs.serverVersion?.gitVersion === undefined ? {} : { serverVersion: inputs.serverVersion.gitVersion };
}

/** One target's own hashes; several targets combined, each also recorded with what the output leaves out of it. */
function manifestSource(built: TargetsModel, inputs: InputsDescription): ManifestSource {
  const [only, ...others] = built.targets;
  if (only !== undefined && others.length === 0) {
    return { ...(only.clusterVersion === undefined ? {} : { clusterVersion: only.clusterVersion }), openapi: only.openapi, sourceHashes: only.sourceHashes, skipped: only.skipped };
  }
  return { openapi: sameOpenApi(built.targets.map((target) => target.openapi)), sourceHashes: combinedHashes(built.targets), skipped: inputs.skipped, targets: built.targets, omitted: built.omitted };
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

/** The modules (each printed only as the writer takes it) and the summary files, compared with `out` and swapped in. */
async function writeGeneration(prepared: Modelled, options: GenerateOptions): Promise<WriteOutputResult> {
  const log = options.log ?? {};
  log.progress?.("emitting modules");
  // Loaded here, not at the top: an unchanged run never emits.
  const { emitModuleFiles } = await import("./emit/index.js");
  const modules = emitModuleFiles(prepared.model, { generatorVersion: GENERATOR_VERSION, runtimeImport: options.runtimeImport });
  log.progress?.(options.check ? `comparing with ${options.out}` : `writing ${options.out}`);
  const { writeOutput } = await import("./write/index.js");
  return writeOutput({
    out: options.out,
    files: concat(modules, summaryFiles(prepared.summary)),
    manifest: manifestOf(prepared),
    // An unreadable manifest is read again by the write, which says why.
    ...("found" in prepared.previous ? { previous: { found: prepared.previous.found } } : {}),
    check: options.check,
    io: options.io,
  });
}

function* concat(...lists: Array<Iterable<OutputFile>>): Generator<OutputFile, void, undefined> {
  for (const list of lists) yield* list;
}

function manifestOf(prepared: Modelled): Omit<Manifest, "files" | "fileHashes"> {
  return {
    generator: "kubetyped",
    generatorVersion: GENERATOR_VERSION,
    runtimeVersion: RUNTIME_VERSION_RANGE,
    ...prepared.source,
    totals: countsOf(prepared.summary),
    ...(prepared.fingerprint === undefined ? {} : { inputHash: prepared.fingerprint }),
  };
}

function generatedResult(prepared: Modelled, written: WriteOutputResult, options: GenerateOptions, started: number): GenerateResult {
  const { model, several } = prepared;
  return {
    ...describedInputs(prepared.inputs),
    groupVersions: model.groups.flatMap((group) => group.versions.map((version) => version.key)).sort(),
    groups: model.groups.length,
    ...countsOf(prepared.summary),
    files: written.files.length,
    durationMs: Math.round(performance.now() - started),
    report: prepared.report,
    changes: written.changes,
    written: written.written,
    drift: options.check === true && written.changes.length > 0,
    reused: { all: false, files: written.reused },
    ...(several === undefined ? {} : { omitted: several.omitted }),
    ...(several === undefined || several.carried.length === 0 ? {} : { carried: several.carried }),
  };
}

function unchangedResult(inputs: InputsDescription, manifest: FoundManifest, started: number): GenerateResult {
  const groupVersions = Object.keys(manifest.sourceHashes).sort();
  return {
    ...describedInputs(inputs),
    groupVersions,
    groups: new Set(groupVersions.map((key) => key.slice(0, key.lastIndexOf("/")))).size,
    ...(manifest.totals ?? { resources: 0, types: 0 }),
    files: manifest.files.length + 1,
    durationMs: Math.round(performance.now() - started),
    // The summary compared with itself, without reading it.
    report: { entries: [], breaking: 0, initial: false },
    changes: [],
    written: false,
    drift: false,
    reused: { all: true, files: manifest.files.length },
    ...(manifest.omitted === undefined ? {} : { omitted: manifest.omitted }),
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

function countsOf(summary: ModelSummary): { resources: number; types: number } {
  const entries = Object.values(summary.groupVersions);
  return {
    resources: entries.reduce((sum, gv) => sum + Object.keys(gv.resources).length, 0),
    types: entries.reduce((sum, gv) => sum + Object.keys(gv.types).length, 0),
  };
}
