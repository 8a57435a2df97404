// What generating for several targets left out or narrowed, and why, per target: from each target's summary against the common one.
import { compareSummaries, type ChangeSubject } from "./compare.js";
import type { ModelSummary } from "./summary.js";

/** One thing a target serves that the common output does not hold as that target has it. */
export interface Omission {
  subject: ChangeSubject;
  /** As in the change report: `batch/v1beta1`, `batch/v1 jobs`, `batch/v1 jobs verb watch`, `core/v1 PodSpec.schedulingGates`. */
  path: string;
  /**
   * `missing`: left out because the targets in `targets` lack it; `conflict`: every target has it, in forms
   * with nothing in common, so it is left out; `narrowed`: kept in the form every target accepts, which is
   * narrower than what the targets in `targets` serve (`detail` says how).
   */
  kind: "missing" | "conflict" | "narrowed";
  /** Labels of the targets lacking it (`missing`) or serving another form (`conflict`, `narrowed`). */
  targets: string[];
  /** The reason in words: `not served by v1.35.0`, `v1.25.0: string; v1.35.0: number`, ... */
  detail: string;
}

/** A target's label and the summary of its own model. */
export interface SummarizedTarget {
  label: string;
  summary: ModelSummary;
}

/**
 * Everything a target serves that `common` (the intersection of all targets) leaves out or narrows,
 * sorted by path. Only group/versions the targets serve are described: a group/version missing somewhere is
 * one entry, not one per resource and type.
 */
export function describeOmissions(targets: readonly SummarizedTarget[], common: ModelSummary): Omission[] {
  const removed = new Map<string, { subject: ChangeSubject; path: string; servedBy: string[] }>();
  const changed = new Map<string, { subject: ChangeSubject; path: string; details: string[]; targets: string[] }>();
  for (const target of targets) {
    for (const entry of compareSummaries(target.summary, common).entries) {
      const key = `${entry.subject}\u0000${entry.path}`;
      if (entry.change === "removed") {
        const found = removed.get(key) ?? { subject: entry.subject, path: entry.path, servedBy: [] };
        found.servedBy.push(target.label);
        removed.set(key, found);
      } else if (entry.change === "changed") {
        const found = changed.get(key) ?? { subject: entry.subject, path: entry.path, details: [], targets: [] };
        found.details.push(`${target.label}: ${entry.detail ?? "differs"}`);
        found.targets.push(target.label);
        changed.set(key, found);
      }
    }
  }
  const labels = targets.map((target) => target.label);
  const omissions: Omission[] = [
    ...[...removed.values()].map((entry) => leftOut(entry, labels, targets)),
    ...[...changed.values()].map((entry): Omission => ({ subject: entry.subject, path: entry.path, kind: "narrowed", targets: entry.targets, detail: entry.details.join("; ") })),
  ];
  return omissions.sort((a, b) => compare(a.path, b.path) || compare(a.subject, b.subject) || compare(a.kind, b.kind));
}

function leftOut(entry: { subject: ChangeSubject; path: string; servedBy: string[] }, labels: string[], targets: readonly SummarizedTarget[]): Omission {
  const lacking = labels.filter((label) => !entry.servedBy.includes(label));
  if (lacking.length > 0) {
    const served = entry.subject !== "field" && entry.subject !== "type";
    return { subject: entry.subject, path: entry.path, kind: "missing", targets: lacking, detail: `${served ? "not served by" : "not in"} ${lacking.join(", ")}` };
  }
  return { subject: entry.subject, path: entry.path, kind: "conflict", targets: [...labels], detail: conflictDetail(entry, targets) };
}

/** How the targets' forms differ, where the summaries can say it (field types, resource kinds and scopes). */
function conflictDetail(entry: { subject: ChangeSubject; path: string }, targets: readonly SummarizedTarget[]): string {
  const forms = targets.map((target) => `${target.label}: ${formOf(entry, target.summary) ?? "?"}`);
  if (entry.subject === "subresource") return "the kind or group/version of its body differs between targets";
  const reason = entry.subject === "type" ? "every target has it, but it uses or is only used by what was left out" : "no form all targets accept";
  return `${reason} (${forms.join("; ")})`;
}

function formOf(entry: { subject: ChangeSubject; path: string }, summary: ModelSummary): string | undefined {
  const space = entry.path.indexOf(" ");
  const module = summary.groupVersions[entry.path.slice(0, space)];
  const rest = entry.path.slice(space + 1);
  if (module === undefined) return undefined;
  if (entry.subject === "field" || entry.subject === "type") {
    const dot = rest.indexOf(".");
    const fields = module.types[dot < 0 ? rest : rest.slice(0, dot)];
    const field = fields?.[dot < 0 ? "" : rest.slice(dot + 1)];
    return field === undefined ? (fields === undefined ? undefined : "object") : `${field.type}${field.required ? " (required)" : ""}`;
  }
  const resource = module.resources[rest.split("/")[0]!];
  return resource === undefined ? undefined : `kind ${resource.kind}, ${resource.namespaced ? "namespaced" : "cluster-scoped"}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
