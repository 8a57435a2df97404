// Placeholder for the CEL evaluator of `x-kubernetes-validations` (issue-26-cel replaces this file): every rule is left to the server.
export interface CelValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}
export interface CelViolation {
  message: string;
  /** StatusCause type, e.g. "FieldValueInvalid". */
  reason: string;
  /** Relative, as written in the rule. */
  fieldPath?: string;
}
export interface CompiledCelRule {
  readonly isTransition: boolean;
  check(self: unknown, oldSelf?: unknown): CelViolation | undefined;
}
export type CelCompileResult = { ok: true; rule: CompiledCelRule } | { ok: false; reason: string };

/** schema: the OpenAPI v3 schema node the rule is attached to (types `self`). Synchronous; may be called lazily. */
export function compileCelRule(rule: CelValidationRule, schema: unknown): CelCompileResult {
  void rule;
  void schema;
  return { ok: false, reason: "no CEL evaluator" };
}
