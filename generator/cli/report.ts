// The change report as the CLI prints it: one line per change, breaking ones marked (and red on a terminal).
import type { ChangeEntry, ChangeReport } from "../model/compare.js";
import type { Omission } from "../model/omissions.js";
import { printable } from "../../runtime/core/printable.js";

/** Human-readable lines, breaking changes marked; a one-line verdict when nothing changed. */
export function formatChangeReport(report: ChangeReport, options: { color?: boolean } = {}): string {
  if (report.entries.length === 0) return "no API changes since the last generation\n";
  const lines = report.entries.map((entry) => {
    const mark = entry.breaking ? "BREAKING " : "         ";
    const detail = entry.detail === undefined ? "" : ` (${printable(entry.detail)})`;
    // Paths hold names a server chose (a CRD's field names): escaped, never raw on the terminal.
    const line = `${mark}${entry.change.padEnd(8)}${entry.subject.padEnd(13)}${printable(entry.path)}${detail}`;
    return options.color ? colored(line, entry) : line;
  });
  const added = report.entries.filter((e) => e.change === "added").length;
  const removed = report.entries.filter((e) => e.change === "removed").length;
  const changed = report.entries.length - added - removed;
  const header = report.initial
    ? `first generation: ${added} module(s)`
    : `API changes: ${added} added, ${removed} removed, ${changed} changed, ${report.breaking} breaking`;
  return `${header}\n${lines.join("\n")}\n`;
}

/** ANSI colours for a terminal: breaking changes red, additions green, other changes yellow. */
function colored(line: string, entry: ChangeEntry): string {
  const code = entry.breaking ? 31 : entry.change === "added" ? 32 : 33;
  return `\x1b[${code}m${line}\x1b[0m`;
}

/**
 * `carried   stable.example.com/v1 into 1.25 from v1.20.2 (a release folder describes built-in groups only; --strict-targets leaves them out)`
 */
export function formatCarried(carried: ReadonlyArray<{ into: string; groupVersions: readonly string[]; from: readonly string[] }>): string {
  return carried
    .flatMap((entry) =>
      entry.groupVersions.map(
        (key) => `carried   ${printable(key)} into ${printable(entry.into)} from ${printable(entry.from.join(", "))} (a release folder describes built-in groups only; --strict-targets leaves them out)\n`,
      ),
    )
    .join("");
}

/** Longest reason printed per line; manifest.json keeps it whole. */
const MAX_DETAIL = 160;

/**
 * What a generation for several targets left out or narrowed, one line each, after a header naming the
 * targets: `left out   groupVersion flowcontrol.apiserver.k8s.io/v1beta2 (not served by v1.35.0)`.
 */
export function formatOmissions(omitted: readonly Omission[], targets: ReadonlyArray<{ label: string; origin: string }>): string {
  // A folder's label is its path, which its origin ends with: say it once.
  const named = printable(targets.map((target) => (target.origin.endsWith(target.label) ? target.label : `${target.label} (${target.origin})`)).join(", "));
  const left = omitted.filter((entry) => entry.kind !== "narrowed").length;
  const header = `common to ${targets.length} targets (${named}): ${left} left out, ${omitted.length - left} narrowed (see manifest.json "omitted")`;
  const lines = omitted.map((entry) => {
    const what = entry.kind === "narrowed" ? "narrowed " : "left out ";
    const detail = entry.detail.length > MAX_DETAIL ? `${entry.detail.slice(0, MAX_DETAIL - 1)}…` : entry.detail;
    return `${what}${entry.subject.padEnd(13)}${printable(entry.path)} (${printable(detail)})`;
  });
  return `${header}\n${lines.map((line) => `${line}\n`).join("")}`;
}
