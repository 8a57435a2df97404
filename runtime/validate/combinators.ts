// anyOf, oneOf and not as kube-openapi judges them (a CRD's structural schema allows them for validation only), in the server's words.
import { fieldError, type FieldError } from "./field-error.js";
import { messages } from "./messages.js";
import type { SchemaNode } from "../api/validation-schema.js";

/** One branch walked alone over the value as the server sees it (pruned and defaulted). */
export interface BranchResult {
  readonly errors: readonly FieldError[];
  /** How much of the branch was walked: kube-openapi reports the failing branch that checked the most (the first of equals). */
  readonly visits: number;
  /** Whether the branch passed a check the client leaves to the server (a format in part, a pattern, a partial object). */
  readonly unsure: boolean;
}

/** The combinators' errors, and whether a verdict was left to the server because a branch was unsure (which makes the caller unsure too). */
export function combinatorErrors(
  node: SchemaNode,
  path: string,
  branch: (schema: SchemaNode) => BranchResult,
  partial: boolean,
): { errors: FieldError[]; unsure: boolean } {
  const errors: FieldError[] = [];
  let unsure = false;
  const invalid = (message: string) => fieldError("FieldValueInvalid", "<nil>", "", message);
  if (node.anyOf !== undefined && node.anyOf.length > 0) {
    const results = node.anyOf.map(branch);
    if (!results.some(passed)) errors.push(invalid(messages.anyOf(path)), ...closest(results).errors);
  }
  if (node.oneOf !== undefined && node.oneOf.length > 0) {
    const results = node.oneOf.map(branch);
    const valid = results.filter(passed);
    if (valid.length === 0) errors.push(invalid(messages.oneOf(path, 0)), ...closest(results).errors);
    // More than one valid is a verdict only when each of them surely is (a check the server adds could fail one).
    else if (valid.length > 1 && (partial || valid.some((result) => result.unsure))) unsure = true;
    else if (valid.length > 1) errors.push(invalid(messages.oneOf(path, valid.length)));
  }
  if (node.not !== undefined) {
    const result = branch(node.not);
    if (passed(result) && (partial || result.unsure)) unsure = true;
    else if (passed(result)) errors.push(invalid(messages.not(path)));
  }
  return { errors, unsure };
}

function passed(result: BranchResult): boolean {
  return result.errors.length === 0;
}

/** The failing branch kube-openapi reports: the one with the most checks run (its `MatchCount`), the first of equals. */
function closest(results: readonly BranchResult[]): BranchResult {
  return results.reduce((best, result) => (result.visits > best.visits ? result : best));
}
