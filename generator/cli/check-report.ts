// What `kubetyped check` prints: per target a verdict, then each new error as file:line with the API change behind it.
import path from "node:path";
import type { CheckResult } from "../check/index.js";
import { printable } from "../../runtime/core/printable.js";

/**
 * ```
 * against v1.25.0: not compatible, 1 error
 * src/main.ts:2: batch/v1beta1 is not served by v1.25.0
 *     TS2307: Cannot find module './k8s/batch/v1beta1.js' or its corresponding type declarations.
 * ```
 * With `quiet`, only the error lines. Paths relative to `cwd`.
 */
export function formatCheck(result: CheckResult, options: { cwd: string; quiet?: boolean }): string {
  const lines: string[] = [];
  for (const target of result.targets) {
    // Labels are /version's gitVersion and causes hold API names: text a server chose, escaped.
    const named = printable(target.origin.endsWith(target.label) ? target.label : `${target.label} (${target.origin})`);
    if (!options.quiet) {
      const verdict = target.compatible
        ? `compatible (${count(target.breakingChanges.length, "breaking API change")}, none that the project's code runs into)`
        : `not compatible, ${count(target.problems.length, "error")}`;
      lines.push(`against ${named}: ${verdict}`);
      if (target.carried.length > 0) {
        lines.push(`  kept ${printable(target.carried.join(", "))} of the folder: a release folder describes built-in groups only (--strict-targets: not kept)`);
      }
    }
    for (const problem of target.problems) {
      const where = problem.file === undefined ? "(project)" : `${printable(path.relative(options.cwd, problem.file) || problem.file)}:${problem.line}`;
      const causes = problem.causes.length === 0 ? ["no API change of the target explains it"] : problem.causes;
      const message = printable(problem.message, { keepNewlines: true }).split("\n").join("\n    ");
      lines.push(`${where}: ${printable(causes.join("; "))}`, `    TS${problem.code}: ${message}`);
    }
  }
  if (!options.quiet && result.existing.length > 0) {
    lines.push(`(${count(result.existing.length, "error")} the project has already with its folder as it is: not counted)`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
