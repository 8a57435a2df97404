// How two generations differ: the change report `generate` prints and `diff` answers.
import type { GroupVersionSummary, ModelSummary, PropertySummary, ResourceSummary } from "./summary.js";

export type ChangeSubject = "groupVersion" | "resource" | "subresource" | "verb" | "type" | "field" | "rules";

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
  const comparison = new SummaryComparison(next);
  for (const [key, old] of Object.entries(previous?.groupVersions ?? {})) comparison.previous(key, old);
  return comparison.report(previous === undefined);
}

/**
 * The same comparison, given the previous summary one group/version at a time, in any order: only the
 * group/versions that changed need to be read back.
 */
export class SummaryComparison {
  private readonly seen = new Set<string>();
  /** Entries by group/version; the report lists them in key order, as a whole comparison walks them. */
  private readonly found = new Map<string, ChangeEntry[]>();

  constructor(private readonly next: ModelSummary) {}

  /** One group/version of the previous summary. */
  previous(key: string, old: GroupVersionSummary): void {
    this.seen.add(key);
    const entries: ChangeEntry[] = [];
    const now = own(this.next.groupVersions, key);
    if (now === undefined) addTo(entries)("removed", "groupVersion", key, true);
    else compareGroupVersion(key, old, now, addTo(entries));
    if (entries.length > 0) this.found.set(key, entries);
  }

  /** A group/version of the previous summary known to equal the new one's (their bytes were the same): nothing to walk. */
  unchanged(key: string): void {
    this.seen.add(key);
  }

  /** A group/version of the previous summary that the new one no longer has: its contents need not be read. */
  removed(key: string): void {
    this.seen.add(key);
    addTo(this.entriesOf(key))("removed", "groupVersion", key, true);
  }

  /** The report, once every previous group/version was given; `initial`: there was no previous summary. */
  report(initial: boolean): ChangeReport {
    for (const key of Object.keys(this.next.groupVersions)) if (!this.seen.has(key)) addTo(this.entriesOf(key))("added", "groupVersion", key, false);
    const entries = [...this.found.keys()].sort().flatMap((key) => this.found.get(key)!);
    return { entries, breaking: entries.filter((entry) => entry.breaking).length, initial };
  }

  private entriesOf(key: string): ChangeEntry[] {
    const entries = this.found.get(key) ?? [];
    this.found.set(key, entries);
    return entries;
  }
}

function addTo(entries: ChangeEntry[]): Add {
  return (change, subject, path, breaking, detail) =>
    entries.push(detail === undefined ? { change, subject, path, breaking } : { change, subject, path, detail, breaking });
}

type Add = (change: ChangeEntry["change"], subject: ChangeSubject, path: string, breaking: boolean, detail?: string) => void;

function compareGroupVersion(key: string, old: GroupVersionSummary, now: GroupVersionSummary, add: Add): void {
  for (const plural of union(old.resources, now.resources)) {
    const a = own(old.resources, plural);
    const b = own(now.resources, plural);
    const path = `${key} ${plural}`;
    if (a === undefined) add("added", "resource", path, false);
    else if (b === undefined) add("removed", "resource", path, true);
    else compareResource(path, a, b, add);
  }
  for (const typeName of union(old.types, now.types)) {
    const a = own(old.types, typeName);
    const b = own(now.types, typeName);
    const path = `${key} ${typeName}`;
    if (a === undefined) add("added", "type", path, false);
    else if (b === undefined) add("removed", "type", path, true);
    else compareFields(path, a, b, add);
  }
  compareRules(key, old.rules, now.rules, add);
}

/**
 * A type whose validation schema changed (both generations have validators): `validate()` judges differently
 * though the type may read the same. Types added or removed are reported as types.
 */
function compareRules(key: string, old: Record<string, string> | undefined, now: Record<string, string> | undefined, add: Add): void {
  if (old === undefined || now === undefined) return;
  for (const typeName of Object.keys(now).sort()) {
    const before = own(old, typeName);
    if (before !== undefined && before !== now[typeName]) add("changed", "rules", `${key} ${typeName}`, false, "validation rules");
  }
}

function compareResource(path: string, a: ResourceSummary, b: ResourceSummary, add: Add): void {
  if (a.kind !== b.kind) add("changed", "resource", path, true, `kind ${a.kind} → ${b.kind}`);
  if (a.namespaced !== b.namespaced) add("changed", "resource", path, true, a.namespaced ? "namespaced → cluster-scoped" : "cluster-scoped → namespaced");
  compareVerbs(path, a.verbs, b.verbs, add);
  for (const name of union(a.subresources, b.subresources)) {
    const before = own(a.subresources, name);
    const after = own(b.subresources, name);
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
  // Nearly every type is the same in both: say so without building and sorting the union of their fields.
  if (sameFields(a, b)) return;
  for (const field of union(a, b)) {
    const before = own(a, field);
    const after = own(b, field);
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

/** Whether both hold the same fields with the same type and requiredness: nothing to report. */
function sameFields(a: Record<string, PropertySummary>, b: Record<string, PropertySummary>): boolean {
  const fields = Object.keys(a);
  if (fields.length !== Object.keys(b).length) return false;
  return fields.every((field) => {
    const after = own(b, field);
    return after !== undefined && after.type === a[field]!.type && after.required === a[field]!.required;
  });
}

/** `record[key]` when the record has it itself: a parsed manifest's objects inherit `constructor` and the like. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
