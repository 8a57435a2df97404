// `kubetyped check --against`: would the project still compile if its generated folder were generated from another target?
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDocumentCache } from "../cache/document-cache.js";
import { compareSummaries, type ChangeEntry } from "../model/compare.js";
import type { ModelSummary } from "../model/summary.js";
import { GENERATOR_VERSION } from "../version.js";
import type { GeneratorLog } from "../sources/log.js";
import { modelTargets, type TargetSource } from "../targets.js";
import { readManifest } from "../write/manifest.js";
import { readSummary } from "../write/summary-files.js";
import { explainDiagnostic } from "./explain.js";
import { carryExtensionModules } from "./carry.js";
import { createProjectChecker, type ProjectChecker } from "./checker.js";
import { diagnosticKey, ProjectError, type ProjectDiagnostic } from "./typecheck.js";

export interface CheckOptions {
  /** Clusters, snapshots or OpenAPI folders; each is checked on its own. */
  targets: TargetSource[];
  /** The project's generated folder; its `manifest.json` says what API it holds now. */
  out: string;
  /** The project's tsconfig (default: `tsconfig.json` in the current folder). */
  project?: string;
  /** OpenAPI document cache for cluster targets (as `generate`). */
  cacheDir?: string;
  /**
   * Check release folders as they are. Without it, an OpenAPI folder serving only built-in groups (a Kubernetes
   * release's) keeps the project's modules of the extension groups it does not serve (`TargetCheck.carried`):
   * a cluster upgraded to that release still serves its CRDs.
   */
  strictTargets?: boolean;
  log?: GeneratorLog;
}

/** An error the project would have against a target, where, and the API changes behind it. */
export interface CheckProblem extends ProjectDiagnostic {
  /** "batch/v1beta1 is not served by v1.25.0", ...; empty when no change could be tied to it. */
  causes: string[];
}

export interface TargetCheck {
  /** Its Kubernetes version, or its path when it has none. */
  label: string;
  origin: string;
  compatible: boolean;
  problems: CheckProblem[];
  /** Breaking API changes from the folder's API to this target's, whether or not the project uses them. */
  breakingChanges: ChangeEntry[];
  /** Extension group/versions of the folder kept for this release folder (see `CheckOptions.strictTargets`). */
  carried: string[];
}

export interface CheckResult {
  /** No target brings an error. */
  compatible: boolean;
  targets: TargetCheck[];
  /** Errors the project has with its folder as it is: not counted against any target. */
  existing: ProjectDiagnostic[];
  /** Which TypeScript checked it (the project's own when it has one: its compiler API, or its tsc where it has none). */
  typescript: string;
}

/** The folder's manifest is missing or the project cannot be checked. */
export class CheckError extends Error {
  override readonly name = "CheckError";
}

/**
 * Generates `out` anew for each target into a temporary folder and type-checks the project as if that folder
 * were `out` (an overlay: nothing in the project is written). Errors the project does not have today are the
 * incompatibilities, each tied to the API changes (folder → target) it comes from.
 */
export async function checkAgainst(options: CheckOptions): Promise<CheckResult> {
  const out = path.resolve(options.out);
  const project = path.resolve(options.project ?? "tsconfig.json");
  const manifest = await readManifest(out);
  if (manifest === undefined) throw new CheckError(`${options.out} holds no manifest.json: generate it first (npx kubetyped generate --out ${options.out}), or point --out at it`);
  if (!existsSync(project)) throw new CheckError(`${project}: no such tsconfig; pass the project's with --project FILE`);
  const checker = await createProjectChecker(project, out);
  options.log?.progress?.(`type-checking ${project} as it is (TypeScript ${checker.compiler})`);
  const baseline = await checker.baseline();
  // The target's folder is emitted as the project's was: with validators when it has them.
  const validators = manifest.files.some((file) => file.endsWith(".validate.ts"));
  const context: TargetContext = { checker, project, out, summary: await readSummary(out, manifest), baseline, options, validators };
  const targets: TargetCheck[] = [];
  for (const target of options.targets) targets.push(await checkTarget(target, context));
  return { compatible: targets.every((target) => target.compatible), targets, existing: baseline, typescript: checker.compiler };
}

interface TargetContext {
  checker: ProjectChecker;
  project: string;
  out: string;
  summary: ModelSummary;
  baseline: ProjectDiagnostic[];
  options: CheckOptions;
  /** The folder holds `.validate.ts` modules (generated without `--no-validators`). */
  validators: boolean;
}

async function checkTarget(target: TargetSource, context: TargetContext): Promise<TargetCheck> {
  const scratch = await mkdtemp(path.join(tmpdir(), "kubetyped-check-"));
  try {
    const folder = path.join(scratch, "generated");
    const generated = await generateUnformatted(target, folder, context.options, context.validators);
    const label = generated.serverVersion ?? generated.origin.replace(/^(openapi folder|snapshot) /, "");
    const carry = generated.release && !context.options.strictTargets;
    const { summary, carried } = carry ? await carryExtensionModules(context.out, folder, { folder: context.summary, target: generated.summary }) : { summary: generated.summary, carried: [] };
    const breakingChanges = compareSummaries(context.summary, summary).entries.filter((entry) => entry.breaking);
    context.options.log?.progress?.(`type-checking ${context.project} against ${label}`);
    const added = newDiagnostics(context.baseline, await context.checker.against(folder));
    const program = added.length === 0 ? undefined : await context.checker.baselineProgram();
    const explain = { ...program, folder: context.out, changes: breakingChanges, label };
    const problems = added.map((diagnostic) => ({ ...diagnostic, causes: explainDiagnostic(diagnostic, explain) }));
    return { label, origin: generated.origin, compatible: problems.length === 0, problems, breakingChanges, carried };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Everything the target serves, modelled as a generation models it (a live target waited for the schemas it
 * has not published yet), emitted into `folder` but not formatted (the type checker does not care, and
 * prettier is most of a generation's time). Everything, not the folder's `--groups` (which the manifest does
 * not keep): the project imports what it imports, and a module the target lacks is an error.
 */
async function generateUnformatted(
  target: TargetSource,
  folder: string,
  options: CheckOptions,
  validators: boolean,
): Promise<{ summary: ModelSummary; origin: string; serverVersion?: string; release: boolean }> {
  // Nothing served would report every import of the project as "not served": a wrong --against, said as that.
  const { model, loaded } = await modelTargets([target], {
    purpose: "check against",
    // A module carried from the folder imports its validators, which import these.
    validation: validators,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.cacheDir === undefined ? {} : { cache: createDocumentCache(options.cacheDir) }),
  });
  const inputs = loaded[0]!;
  const { summarizeModel, isReleaseFolder } = await import("../model/index.js");
  const { emitModules } = await import("../emit/index.js");
  options.log?.progress?.(`emitting what ${inputs.origin} serves`);
  for (const file of emitModules(model, { generatorVersion: GENERATOR_VERSION })) {
    const target = path.join(folder, ...file.path.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
  // An OpenAPI folder of built-in groups only describes a release, not a cluster (see CheckOptions.strictTargets).
  const release = isReleaseFolder(inputs);
  const version = inputs.serverVersion === undefined ? {} : { serverVersion: inputs.serverVersion.gitVersion };
  return { summary: summarizeModel(model), origin: inputs.origin, ...version, release };
}

/** The errors of `after` that `before` does not have (counting repeats), in file order. */
function newDiagnostics(before: readonly ProjectDiagnostic[], after: readonly ProjectDiagnostic[]): ProjectDiagnostic[] {
  const existing = new Map<string, number>();
  for (const diagnostic of before) existing.set(diagnosticKey(diagnostic), (existing.get(diagnosticKey(diagnostic)) ?? 0) + 1);
  return after.filter((diagnostic) => {
    const left = existing.get(diagnosticKey(diagnostic)) ?? 0;
    if (left > 0) existing.set(diagnosticKey(diagnostic), left - 1);
    return left === 0;
  });
}

export { ProjectError };
