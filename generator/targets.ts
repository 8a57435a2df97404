// The targets of a generation (clusters, snapshots, OpenAPI folders; one is a list of one), read and modelled for output every one of them serves.
import { setTimeout as delay } from "node:timers/promises";
import type { ClusterConnection } from "../runtime/core/connection.js";
import type { DocumentCache } from "./cache/document-cache.js";
import { sourceFactsHash, targetsFingerprint } from "./input-fingerprint.js";
import type { ApiModel, Omission } from "./model/index.js";
import { openSources, parseGroupSelection, UNLISTED_REASON, type DocumentFetcher, type GeneratorLog, type OpenedSources, type SourceInputs } from "./sources/index.js";
import type { ManifestTarget } from "./write/manifest.js";

/** One target: a live cluster, a snapshot or OpenAPI v3 folder (`from`), or any fetcher (tests). */
export interface TargetSource {
  connection?: ClusterConnection | undefined;
  from?: string | undefined;
  fetcher?: DocumentFetcher | undefined;
}

/** Where API knowledge comes from: a live cluster, a snapshot folder, or any fetcher (tests). */
export interface SourceOptions extends TargetSource {
  /** `--groups` entries: `batch`, `apps/v1`, `core/v1`. */
  groups?: string[] | undefined;
  log?: GeneratorLog | undefined;
}

/** A target opened as far as its inputs (documents not yet parsed), with its label. */
export interface OpenedTarget {
  label: string;
  origin: string;
  opened: OpenedSources;
}

/** The model every target serves, what it leaves out of each target, and the targets as the manifest records them. */
export interface TargetsModel {
  model: ApiModel;
  omitted: Omission[];
  targets: ManifestTarget[];
  /** The targets' warnings, each prefixed with its label unless all targets gave it. */
  warnings: string[];
  /** Extension (CRD) group/versions of the other targets carried into release folders (see `carryIntoReleaseFolders`). */
  carried: CarriedGroups[];
  /** Each target's inputs as loading found them (a document failing shows here, not in what opening read). */
  loaded: SourceInputs[];
}

/** Group/versions a release folder was given from the other targets, which serve them. */
export interface CarriedGroups {
  /** The release folder's label. */
  into: string;
  groupVersions: string[];
  /** The labels of the targets that serve them. */
  from: string[];
}

/**
 * Opens every target (concurrently; each with the same document cache, which is keyed by content) and orders
 * them canonically: by Kubernetes version, oldest first (from `/version`, or the name of an OpenAPI folder such
 * as `openapi-v3/1.25`; targets without one first), then by what they serve.
 * The output depends on that order only through descriptions, where the newest target's text wins, so the
 * same targets given in any order generate the same bytes. Closes what it opened when one fails.
 */
export async function openTargets(
  targets: readonly TargetSource[],
  options: Omit<ReadTargetsOptions, "schemaWaitMs">,
): Promise<OpenedTarget[]> {
  const settled = await Promise.allSettled(
    targets.map((target) =>
      openSources({
        ...target,
        // The model reads only the schemas of each document.
        schemasOnly: true,
        groups: options.groups,
        log: options.log,
        cache: options.cache,
        record: options.record,
      }),
    ),
  );
  const opened = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = settled.findIndex((result) => result.status === "rejected");
  if (failed >= 0) {
    await Promise.all(opened.map((entry) => entry.close()));
    const reason: unknown = (settled[failed] as PromiseRejectedResult).reason;
    throw targets.length > 1 ? namedFailure(reason, targets[failed]!) : reason;
  }
  // One target needs no order (nor the hash that orders equal versions).
  const ordered = opened
    .map((entry) => ({ entry, version: versionOf(entry.inputs), key: opened.length > 1 ? sourceFactsHash(entry.inputs) : "" }))
    .sort((a, b) => compareVersions(a.version, b.version) || compareText(a.key, b.key) || compareText(a.entry.inputs.origin, b.entry.inputs.origin))
    .map(({ entry }) => entry);
  return labelled(ordered);
}

/** With several targets, an error says which one it is about (its folder or server). */
function namedFailure(error: unknown, target: TargetSource): unknown {
  const name = target.from ?? target.connection?.server ?? target.fetcher?.origin;
  if (name !== undefined && error instanceof Error && !error.message.includes(name)) error.message = `${name}: ${error.message}`;
  return error;
}

/**
 * Labels by version (`v1.25.0`), else by origin (an OpenAPI folder by its path as given); equal labels get
 * ` #1`, ` #2` in canonical order.
 */
function labelled(opened: OpenedSources[]): OpenedTarget[] {
  const base = opened.map((entry) => entry.inputs.serverVersion?.gitVersion ?? entry.inputs.origin.replace(/^openapi folder /, ""));
  return opened.map((entry, index) => {
    const same = base.filter((label) => label === base[index]);
    const label = same.length === 1 ? base[index]! : `${base[index]} #${base.slice(0, index + 1).filter((other) => other === base[index]).length}`;
    return { label, origin: entry.inputs.origin, opened: entry };
  });
}

/** What reading the targets takes besides them. */
export interface ReadTargetsOptions {
  groups?: string[] | undefined;
  log?: GeneratorLog | undefined;
  cache?: DocumentCache | undefined;
  /** Also record every document read into this snapshot folder (one target). */
  record?: string | undefined;
  /** How long one live target is waited for the schemas its discovery already serves (default 30 s). */
  schemaWaitMs?: number | undefined;
}

/** How a reading of the targets waits for schemas: given only for one live target (a cluster, or a fetcher). */
export interface SchemaWait {
  /** True when it waited for `pending` (group/versions or resources without a schema): read the targets again. */
  waitFor?: ((pending: string[]) => Promise<boolean>) | undefined;
  /** How long it has waited so far, for the message when it gives up. */
  waitedMs?: (() => number) | undefined;
}

/** How long one live target is waited for schemas discovery already serves (1.20 publishes a CRD's seconds after Established). */
const SCHEMA_WAIT_MS = 30_000;
const SCHEMA_POLL_MS = 1_000;

/**
 * Opens the targets and hands them to `read`, closing them after; read again (opened afresh) while `read`
 * answers undefined, which it does when it waited for schemas. One live target is waited for when discovery
 * serves what its OpenAPI does not describe yet (resources without a schema, group/versions the /openapi/v3
 * index does not list): read again each second, up to `schemaWaitMs`, with a progress line. A snapshot or a
 * folder cannot change, and several targets are read once each.
 */
export async function readTargets<T>(
  targets: readonly TargetSource[],
  options: ReadTargetsOptions,
  read: (opened: OpenedTarget[], wait: SchemaWait) => Promise<T | undefined>,
): Promise<T> {
  const started = performance.now();
  const live = targets.length === 1 && targets[0]!.from === undefined;
  const wait: SchemaWait = live ? { waitFor: (pending) => waitedForSchemas(pending, started, options), waitedMs: () => performance.now() - started } : {};
  for (;;) {
    const opened = await openTargets(targets, options);
    try {
      const result = await read(opened, wait);
      if (result !== undefined) return result;
    } finally {
      await Promise.all(opened.map((target) => target.opened.close()));
    }
  }
}

/** Whether it waited (`pending` and time left): then the source is to be read again. */
async function waitedForSchemas(pending: readonly string[], started: number, options: ReadTargetsOptions): Promise<boolean> {
  const waitedMs = performance.now() - started;
  const boundMs = options.schemaWaitMs ?? SCHEMA_WAIT_MS;
  if (pending.length === 0 || waitedMs >= boundMs) return false;
  const more = pending.length > 1 ? ` and ${pending.length - 1} more` : "";
  options.log?.progress?.(`waiting for the OpenAPI schema of ${pending[0]}${more} (${Math.round(waitedMs / 1000)}s of ${Math.round(boundMs / 1000)}s)`);
  await delay(Math.min(SCHEMA_POLL_MS, boundMs - waitedMs));
  return true;
}

/**
 * The targets read and modelled (`buildTargetsModel`), read again while one live target's schemas are not
 * published yet; resources still without a schema after the wait stay untyped, with the model's warning.
 */
export function modelTargets(targets: readonly TargetSource[], options: ReadTargetsOptions & TargetsModelOptions): Promise<TargetsModel> {
  return readTargets(targets, options, (opened, wait) => buildTargetsModel(opened, { ...options, ...wait }, options.log ?? {}));
}

export function fingerprintOfTargets(
  targets: readonly OpenedTarget[],
  options: { groups?: readonly string[] | undefined; runtimeImport?: string | undefined; strictTargets?: boolean | undefined; validators?: boolean | undefined },
): Promise<string> {
  return targetsFingerprint(
    targets.map((target) => ({ label: target.label, inputs: target.opened.inputs })),
    options,
  );
}

/** What building the model of the targets takes besides them. */
export interface TargetsModelOptions {
  groups?: string[] | undefined;
  /** What the targets are read for, as a refusal of a model serving nothing says it (default "generate"). */
  purpose?: "generate" | "check against" | undefined;
  allowEmpty?: boolean | undefined;
  allowUntyped?: boolean | undefined;
  strictTargets?: boolean | undefined;
  /** Keep the validation keywords for the generated validators (several targets: merged, valid on all). */
  validation?: boolean | undefined;
  /**
   * Called with what a target's OpenAPI does not describe yet (group/versions its index does not list; with
   * `allowUntyped` off, resources without a schema): true when it waited, and the targets are to be read again.
   */
  waitFor?: ((pending: string[]) => Promise<boolean>) | undefined;
}

/**
 * Loads and models each target in turn, then intersects the models (one target is its own intersection).
 * Targets must be in canonical order. Undefined when `waitFor` waited: the targets are to be read again.
 */
export async function buildTargetsModel(targets: readonly OpenedTarget[], options: TargetsModelOptions, log: GeneratorLog): Promise<TargetsModel | undefined> {
  const { assertServesSomething, intersectModels, isReleaseFolder } = await import("./model/index.js");
  // Release folders are given the CRD groups of the clusters among the targets: only when there are both.
  const releases = targets.map((target) => !options.strictTargets && isReleaseFolder(target.opened.inputs));
  const carrying = releases.includes(true) && releases.includes(false);
  const several = targets.length > 1;
  const models: ModelledTarget[] = [];
  for (const [index, target] of targets.entries()) {
    log.progress?.(several ? `building the model of ${target.label} (${target.origin})` : "building the model");
    const modelled = await modelTarget(target, { ...options, release: carrying && releases[index] === true, several });
    if (modelled === undefined) return undefined;
    models.push(modelled);
  }
  for (const line of labelledWarnings(models.map((entry) => ({ label: entry.label, warnings: entry.model.warnings })))) log.warn?.(line);
  const carried = await carryIntoReleaseFolders(models);
  if (several) log.progress?.(`intersecting ${models.length} targets`);
  const model = intersectModels(models.map((entry) => entry.model));
  if (several && !options.allowEmpty) assertServesSomething(model, { name: `the API common to ${targets.map(namedTarget).join(", ")}`, skipped: [] }, options.purpose);
  const kept = new Set(model.groups.flatMap((group) => group.versions.map((version) => version.key)));
  return {
    model,
    omitted: several ? await omissionsOf(models, model) : [],
    targets: models.map((entry) => manifestTarget(entry.label, entry.inputs, kept)),
    warnings: labelledWarnings(models.map((entry) => ({ label: entry.label, warnings: [...entry.inputs.warnings, ...entry.model.warnings] }))),
    carried,
    loaded: models.map((entry) => entry.inputs),
  };
}

/** What the common model leaves out or narrows of each target's. */
async function omissionsOf(models: readonly ModelledTarget[], common: ApiModel): Promise<Omission[]> {
  const { describeOmissions, summarizeModel } = await import("./model/index.js");
  return describeOmissions(models.map((entry) => ({ label: entry.label, summary: summarizeModel(entry.model) })), summarizeModel(common));
}

interface ModelledTarget {
  label: string;
  origin: string;
  model: ApiModel;
  inputs: SourceInputs;
  /** An OpenAPI folder of built-in groups only: a Kubernetes release, which the other targets' CRD groups are carried into. */
  release: boolean;
}

/**
 * One target loaded and modelled. A release folder the clusters' CRD groups are carried into is modelled whole
 * and then narrowed to the `--groups` entries it serves: an entry naming a CRD group is for the clusters.
 * A target that serves nothing (before that narrowing) is refused unless `allowEmpty`: it would leave nothing
 * in common, and is said as that target's problem. Undefined when `waitFor` waited.
 */
async function modelTarget(target: OpenedTarget, options: TargetsModelOptions & { release: boolean; several: boolean }): Promise<ModelledTarget | undefined> {
  const { buildModel, ModelError, assertServesSomething, untypedResources } = await import("./model/index.js");
  const { sources, inputs } = await target.opened.load();
  const { groups, release, waitFor } = options;
  const unlisted = inputs.skipped.filter((entry) => entry.reason.startsWith(UNLISTED_REASON));
  if (await waitFor?.(unlisted.map((entry) => `${entry.groupVersion} (not in /openapi/v3)`))) return undefined;
  try {
    // The documents go as the model reads them: nothing else needs them (see BuildModelOptions.consumeDocuments).
    const model = buildModel(sources, {
      consumeDocuments: true,
      groups: release ? undefined : groups,
      validation: options.validation,
    });
    if (!options.allowUntyped && (await waitFor?.(untypedResources(model)))) return undefined;
    if (!options.allowEmpty) assertServesSomething(model, { name: options.several ? namedTarget(target) : target.origin, skipped: inputs.skipped }, options.purpose);
    return { label: target.label, origin: target.origin, model: release ? selectedGroups(model, groups) : model, inputs, release };
  } catch (error) {
    // A --groups entry one target does not serve is not common to all: say which target.
    if (options.several && error instanceof ModelError) error.message = `${target.label}: ${error.message}`;
    throw error;
  }
}

/** The model's group/versions that `groups` names (all without); its type modules are kept for what is carried in. */
function selectedGroups(model: ApiModel, groups: readonly string[] | undefined): ApiModel {
  if (groups === undefined || groups.length === 0) return model;
  const selection = parseGroupSelection(groups);
  const kept = model.groups
    .map((group) => ({ ...group, versions: group.versions.filter((version) => selection.matches(group.name, version.version)) }))
    .filter((group) => group.versions.length > 0);
  return { ...model, groups: kept };
}

/**
 * An OpenAPI folder serving only built-in groups describes a Kubernetes release (../shared/k8s/openapi-v3/1.25),
 * not a cluster: intersected as it is, it would drop every CRD group of the other targets, although the
 * user's cluster upgraded to that release still serves them. Each such folder's model gets the extension
 * groups the other targets serve (mutated in place); what was carried is returned for the report.
 */
async function carryIntoReleaseFolders(models: ModelledTarget[]): Promise<CarriedGroups[]> {
  const { withExtensionGroups } = await import("./model/index.js");
  const clusters = models.filter((entry) => !entry.release);
  const carried: CarriedGroups[] = [];
  if (clusters.length === 0) return carried;
  models.forEach((entry) => {
    if (!entry.release) return;
    const extended = withExtensionGroups(entry.model, clusters.map((cluster) => cluster.model));
    entry.model = extended.model;
    if (extended.carried.length === 0) return;
    const from = clusters.filter((cluster) => cluster.model.groups.some((group) => group.versions.some((version) => extended.carried.includes(version.key))));
    carried.push({ into: entry.label, groupVersions: extended.carried, from: from.map((cluster) => cluster.label) });
  });
  return carried;
}

function namedTarget(target: { label: string; origin: string }): string {
  return target.origin.endsWith(target.label) ? target.origin : `${target.label} (${target.origin})`;
}

function manifestTarget(label: string, inputs: SourceInputs, kept: ReadonlySet<string>): ManifestTarget {
  return {
    label,
    ...(inputs.serverVersion?.gitVersion === undefined ? {} : { clusterVersion: inputs.serverVersion.gitVersion }),
    openapi: inputs.openapi,
    sourceHashes: Object.fromEntries([...inputs.hashes].filter(([key]) => kept.has(key))),
    skipped: inputs.skipped,
  };
}

/** Warnings every target gave once, the others prefixed with the target's label. */
export function labelledWarnings(targets: ReadonlyArray<{ label: string; warnings: readonly string[] }>): string[] {
  const everywhere = (warning: string) => targets.every((target) => target.warnings.includes(warning));
  const lines = new Set<string>();
  for (const target of targets) {
    for (const warning of target.warnings) lines.add(everywhere(warning) ? warning : `${target.label}: ${warning}`);
  }
  return [...lines];
}

/** `/version`'s, or for an OpenAPI folder (which has none) the version its name spells (`openapi-v3/1.25`). */
function versionOf(inputs: SourceInputs): number[] | undefined {
  const folderName = inputs.origin.startsWith("openapi folder ") ? (inputs.origin.split(/[\\/]/).filter((part) => part !== "").at(-1) ?? "") : "";
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(inputs.serverVersion?.gitVersion ?? folderName);
  return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

function compareVersions(a: number[] | undefined, b: number[] | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  for (let index = 0; index < 3; index++) if (a[index] !== b[index]) return a[index]! - b[index]!;
  return 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
