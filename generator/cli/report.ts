// The change report as the CLI prints it: one line per change, breaking ones marked (and red on a terminal).
import type { ChangeEntry, ChangeReport } from "../model/compare.js";

/** Human-readable lines, breaking changes marked; a one-line verdict when nothing changed. */
export function formatChangeReport(report: ChangeReport, options: { color?: boolean } = {}): string {
  if (report.entries.length === 0) return "no API changes since the last generation\n";
  const lines = report.entries.map((entry) => {
    const mark = entry.breaking ? "BREAKING " : "         ";
    const detail = entry.detail === undefined ? "" : ` (${entry.detail})`;
    const line = `${mark}${entry.change.padEnd(8)}${entry.subject.padEnd(13)}${entry.path}${detail}`;
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
