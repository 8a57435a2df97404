// How two generations differ: the change report `generate` prints and `diff` answers.
import type { GroupVersionSummary, ModelSummary, PropertySummary, ResourceSummary } from "./summary.js";

export type ChangeSubject = "groupVersion" | "resource" | "subresource" | "verb" | "type" | "field";

/** One difference between two generations. Removals and type changes are breaking for code using the old output. */
export interface ChangeEntry {
  change: "added" | "removed" | "changed";
  subject: ChangeSubject;
  /** `batch/v1`, `batch/v1 jobs`, `batch/v1 jobs verb watch`, `batch/v1 JobSpec.parallelism`. */
  path: string;
  /** For `changed`: `number → string`, `optional → required`, ... */
  detail?: string;
  breaking: boolean;
}

export interface ChangeReport {
  entries: ChangeEntry[];
  breaking: number;
  /** No previous generation to compare with. */
  initial: boolean;
}

/**
 * Compares two summaries. Things added under something new (the resources of a new group/version, the
 * fields of a new type) are not listed one by one: the new parent says it.
 */
export function compareSummaries(previous: ModelSummary | undefined, next: ModelSummary): ChangeReport {
  const entries: ChangeEntry[] = [];
  const add = (change: ChangeEntry["change"], subject: ChangeSubject, path: string, breaking: boolean, detail?: string) =>
    entries.push(detail === undefined ? { change, subject, path, breaking } : { change, subject, path, detail, breaking });
  const before = previous?.groupVersions ?? {};
  for (const key of union(before, next.groupVersions)) {
    const old = before[key];
    const now = next.groupVersions[key];
    if (old === undefined) add("added", "groupVersion", key, false);
    else if (now === undefined) add("removed", "groupVersion", key, true);
    else compareGroupVersion(key, old, now, add);
  }
  return { entries, breaking: entries.filter((entry) => entry.breaking).length, initial: previous === undefined };
}

type Add = (change: ChangeEntry["change"], subject: ChangeSubject, path: string, breaking: boolean, detail?: string) => void;

function compareGroupVersion(key: string, old: GroupVersionSummary, now: GroupVersionSummary, add: Add): void {
  for (const plural of union(old.resources, now.resources)) {
    const a = old.resources[plural];
    const b = now.resources[plural];
    const path = `${key} ${plural}`;
    if (a === undefined) add("added", "resource", path, false);
    else if (b === undefined) add("removed", "resource", path, true);
    else compareResource(path, a, b, add);
  }
  for (const typeName of union(old.types, now.types)) {
    const a = old.types[typeName];
    const b = now.types[typeName];
    const path = `${key} ${typeName}`;
    if (a === undefined) add("added", "type", path, false);
    else if (b === undefined) add("removed", "type", path, true);
    else compareFields(path, a, b, add);
  }
}

function compareResource(path: string, a: ResourceSummary, b: ResourceSummary, add: Add): void {
  if (a.kind !== b.kind) add("changed", "resource", path, true, `kind ${a.kind} → ${b.kind}`);
  if (a.namespaced !== b.namespaced) add("changed", "resource", path, true, a.namespaced ? "namespaced → cluster-scoped" : "cluster-scoped → namespaced");
  compareVerbs(path, a.verbs, b.verbs, add);
  for (const name of union(a.subresources, b.subresources)) {
    const before = a.subresources[name];
    const after = b.subresources[name];
    const subPath = `${path}/${name}`;
    if (before === undefined) add("added", "subresource", subPath, false);
    else if (after === undefined) add("removed", "subresource", subPath, true);
    else compareVerbs(subPath, before, after, add);
  }
}

function compareVerbs(path: string, before: readonly string[], after: readonly string[], add: Add): void {
  for (const verb of after) if (!before.includes(verb)) add("added", "verb", `${path} verb ${verb}`, false);
  for (const verb of before) if (!after.includes(verb)) add("removed", "verb", `${path} verb ${verb}`, true);
}

function compareFields(path: string, a: Record<string, PropertySummary>, b: Record<string, PropertySummary>, add: Add): void {
  for (const field of union(a, b)) {
    const before = a[field];
    const after = b[field];
    // Aliases (`Time = string`) are summarized as one property named "".
    const fieldPath = field === "" ? path : `${path}.${field}`;
    if (before === undefined) add("added", "field", fieldPath, after?.required === true, after?.required ? "required" : undefined);
    else if (after === undefined) add("removed", "field", fieldPath, true);
    else {
      if (before.type !== after.type) add("changed", "field", fieldPath, true, `${before.type} → ${after.type}`);
      // Newly required breaks writers; newly optional only widens what readers see.
      if (before.required !== after.required) {
        add("changed", "field", fieldPath, after.required, before.required ? "required → optional" : "optional → required");
      }
    }
  }
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
