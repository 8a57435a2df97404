import { describe, expect, it } from "vitest";
import type { ModelSummary } from "../../../generator/model/index.js";
import { compareSummaries } from "../../../generator/model/index.js";
import { SummaryComparison } from "../../../generator/model/compare.js";
import { formatChangeReport } from "../../../generator/cli/report.js";

function summary(overrides: { verbs?: string[]; fields?: Record<string, { type: string; required: boolean }>; extraGroup?: boolean; namespaced?: boolean }): ModelSummary {
  const groupVersions: ModelSummary["groupVersions"] = {
    "batch/v1": {
      preferred: true,
      resources: {
        jobs: {
          kind: "Job",
          namespaced: overrides.namespaced ?? true,
          verbs: overrides.verbs ?? ["get", "list", "watch"],
          subresources: { status: ["get", "patch"] },
        },
      },
      types: {
        JobSpec: overrides.fields ?? { parallelism: { type: "number", required: false }, template: { type: "PodTemplateSpec", required: true } },
      },
    },
  };
  if (overrides.extraGroup) groupVersions["apps/v1"] = { preferred: true, resources: {}, types: { Deployment: {} } };
  return { groupVersions };
}

describe("change report", () => {
  it("reports nothing between equal summaries", () => {
    const report = compareSummaries(summary({}), summary({}));
    expect(report).toEqual({ entries: [], breaking: 0, initial: false });
    expect(formatChangeReport(report)).toBe("no API changes since the last generation\n");
  });

  it("marks a removed field as BREAKING and an added optional field as not", () => {
    const report = compareSummaries(
      summary({}),
      summary({ fields: { template: { type: "PodTemplateSpec", required: true }, suspend: { type: "boolean", required: false } } }),
    );
    expect(report.entries).toEqual([
      { change: "removed", subject: "field", path: "batch/v1 JobSpec.parallelism", breaking: true },
      { change: "added", subject: "field", path: "batch/v1 JobSpec.suspend", breaking: false },
    ]);
    expect(report.breaking).toBe(1);
    const text = formatChangeReport(report);
    expect(text).toMatch(/^API changes: 1 added, 1 removed, 0 changed, 1 breaking\n/);
    expect(text).toMatch(/^BREAKING removed +field +batch\/v1 JobSpec\.parallelism$/m);
    expect(text).toMatch(/^ {9}added +field +batch\/v1 JobSpec\.suspend$/m);
    expect(text).not.toContain("\x1b[");
    // On a terminal: breaking lines red, additions green, the text otherwise the same.
    const colored = formatChangeReport(report, { color: true });
    expect(colored).toContain("\x1b[31mBREAKING removed");
    expect(colored).toMatch(/\x1b\[32m {9}added +field +batch\/v1 JobSpec\.suspend\x1b\[0m/);
    expect(colored.replace(/\x1b\[\d+m/g, "")).toBe(text);
  });

  it("marks type changes and newly required fields as breaking, newly optional as not", () => {
    const report = compareSummaries(
      summary({}),
      summary({ fields: { parallelism: { type: "string", required: true }, template: { type: "PodTemplateSpec", required: false } } }),
    );
    expect(report.entries).toEqual([
      { change: "changed", subject: "field", path: "batch/v1 JobSpec.parallelism", detail: "number → string", breaking: true },
      { change: "changed", subject: "field", path: "batch/v1 JobSpec.parallelism", detail: "optional → required", breaking: true },
      { change: "changed", subject: "field", path: "batch/v1 JobSpec.template", detail: "required → optional", breaking: false },
    ]);
  });

  it("tells a renamed field from an unchanged type even with as many fields, and a field named like an Object member", () => {
    const renamed = compareSummaries(
      summary({}),
      summary({ fields: { parallelism: { type: "number", required: false }, templateRef: { type: "PodTemplateSpec", required: true } } }),
    );
    expect(renamed.entries).toEqual([
      { change: "removed", subject: "field", path: "batch/v1 JobSpec.template", breaking: true },
      { change: "added", subject: "field", path: "batch/v1 JobSpec.templateRef", detail: "required", breaking: true },
    ]);
    // A parsed manifest's objects inherit `constructor`: it must not pass for a field the new summary has.
    const inherited = compareSummaries(
      summary({ fields: { constructor: { type: "string", required: false }, template: { type: "PodTemplateSpec", required: true } } }),
      summary({ fields: { parallelism: { type: "number", required: false }, template: { type: "PodTemplateSpec", required: true } } }),
    );
    expect(inherited.entries.map((entry) => `${entry.change} ${entry.path}`)).toEqual(["removed batch/v1 JobSpec.constructor", "added batch/v1 JobSpec.parallelism"]);
  });

  it("reports the same when given the previous summary a group/version at a time, in any order", () => {
    const previous = summary({ extraGroup: true });
    previous.groupVersions["core/v1"] = { preferred: true, resources: {}, types: { Pod: { spec: { type: "PodSpec", required: false } } } };
    const next = summary({ verbs: ["get"], fields: { parallelism: { type: "string", required: false } } });
    next.groupVersions["z/v1"] = { preferred: true, resources: {}, types: {} };
    const comparison = new SummaryComparison(next);
    for (const key of Object.keys(previous.groupVersions).reverse()) comparison.previous(key, previous.groupVersions[key]!);
    const whole = compareSummaries(previous, next);
    expect(comparison.report(false)).toEqual(whole);
    expect(whole.entries.map((entry) => `${entry.change} ${entry.path}`)).toEqual([
      "removed apps/v1",
      "removed batch/v1 jobs verb list",
      "removed batch/v1 jobs verb watch",
      "changed batch/v1 JobSpec.parallelism",
      "removed batch/v1 JobSpec.template",
      "removed core/v1",
      "added z/v1",
    ]);
  });

  it("reports verbs, scope and group/versions added and removed", () => {
    const report = compareSummaries(summary({ extraGroup: true }), summary({ verbs: ["get", "list", "create"], namespaced: false }));
    expect(report.entries).toEqual([
      { change: "removed", subject: "groupVersion", path: "apps/v1", breaking: true },
      { change: "changed", subject: "resource", path: "batch/v1 jobs", detail: "namespaced → cluster-scoped", breaking: true },
      { change: "added", subject: "verb", path: "batch/v1 jobs verb create", breaking: false },
      { change: "removed", subject: "verb", path: "batch/v1 jobs verb watch", breaking: true },
    ]);
  });

  it("lists only the group/versions of a first generation", () => {
    const report = compareSummaries(undefined, summary({ extraGroup: true }));
    expect(report.initial).toBe(true);
    expect(report.entries.map((e) => `${e.change} ${e.path}`)).toEqual(["added apps/v1", "added batch/v1"]);
    expect(formatChangeReport(report)).toMatch(/^first generation: 2 module\(s\)\n/);
  });
});
