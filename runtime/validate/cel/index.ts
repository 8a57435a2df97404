// CEL rules of CRDs (`x-kubernetes-validations`) checked before sending, on @bufbuild/cel plus Kubernetes' libraries; anything uncertain is left to the server.
import { isCelError, parse, plan, type CelEnv, type CelResult } from "@bufbuild/cel";
import { ruleUses, unknownCall } from "./ast.js";
import { kubernetesEnv } from "./env.js";
import { optionalOf } from "./libs/optional.js";
import { toCel, type SchemaNode } from "./self.js";

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

type Program = (bindings: Record<string, unknown>) => CelResult;

const REASONS: Record<string, string> = {
  FieldValueInvalid: "FieldValueInvalid",
  FieldValueForbidden: "FieldValueForbidden",
  FieldValueRequired: "FieldValueRequired",
  FieldValueDuplicate: "FieldValueDuplicate",
};

/** `.?`, `[?` or a `?` entry of a list or map literal, outside string literals. */
function usesOptionalSyntax(source: string): boolean {
  const code = source.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, "''");
  return /\.\s*\?|\[\s*\?|[{,]\s*\?/.test(code);
}

/** A parsed, planned expression whose every call the environment can take; else why it is left to the server. */
function program(env: CelEnv, source: string): { run: Program; identifiers: ReadonlySet<string>; prints: boolean } | string {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (error) {
    if (usesOptionalSyntax(source)) return "it uses CEL's optional field or index syntax (`.?field`, `[?index]`, `{?key: ...}`), which @bufbuild/cel 0.6.1 does not parse";
    return `the CEL evaluator cannot parse it (${error instanceof Error ? error.message : String(error)})`;
  }
  const uses = ruleUses(parsed.expr);
  const unknown = unknownCall(env, uses);
  if (unknown) return `it calls ${unknown}, which kubetyped's CEL environment lacks`;
  return { run: plan(env, parsed) as Program, identifiers: uses.identifiers, prints: uses.calls.some((call) => call.name === "string") };
}

/** The rule's message when it fails: `message`, else the server's "failed rule: <rule>". */
function staticMessage(rule: CelValidationRule): string {
  return rule.message?.trim() ? rule.message.trim() : `failed rule: ${rule.rule.trim()}`;
}

/** `messageExpression`'s answer where it is a usable one-line string; the static message otherwise, as the server falls back. */
function messageFrom(expression: Program | undefined, bindings: Record<string, unknown>, fallback: string): string {
  if (!expression) return fallback;
  try {
    const answer = expression(bindings);
    return typeof answer === "string" && answer.trim() !== "" && !/[\r\n]/.test(answer) ? answer : fallback;
  } catch {
    return fallback;
  }
}

function compileChecked(rule: CelValidationRule, schema: SchemaNode | undefined, env: CelEnv): CelCompileResult {
  const compiled = program(env, rule.rule);
  if (typeof compiled === "string") return { ok: false, reason: compiled };
  const expression = rule.messageExpression ? program(env, rule.messageExpression) : undefined;
  const isTransition = compiled.identifiers.has("oldSelf");
  const reason = REASONS[rule.reason ?? "FieldValueInvalid"] ?? "FieldValueInvalid";
  const options = { utcOnly: compiled.prints || (typeof expression === "object" && expression.prints) };
  const check = (self: unknown, oldSelf?: unknown): CelViolation | undefined => {
    if (isTransition && oldSelf === undefined && !rule.optionalOldSelf) return undefined;
    let bindings: Record<string, unknown>;
    let verdict: CelResult;
    try {
      bindings = { self: toCel(self, schema, options) };
      if (isTransition || rule.optionalOldSelf) bindings.oldSelf = rule.optionalOldSelf ? optionalOf(toCel(oldSelf, schema, options)) : toCel(oldSelf, schema, options);
      verdict = compiled.run(bindings);
    } catch {
      return undefined; // a value the schema refuses, or an evaluation kubetyped cannot finish: the server's to judge
    }
    if (verdict !== false || isCelError(verdict)) return undefined;
    const message = messageFrom(typeof expression === "object" ? expression.run : undefined, bindings, staticMessage(rule));
    return { message, reason, ...(rule.fieldPath ? { fieldPath: rule.fieldPath } : {}) };
  };
  return { ok: true, rule: { isTransition, check } };
}

/** schema: the OpenAPI v3 schema node the rule is attached to (types `self`). Synchronous; may be called lazily. */
export function compileCelRule(rule: CelValidationRule, schema: unknown): CelCompileResult {
  if (typeof rule?.rule !== "string" || rule.rule.trim() === "") return { ok: false, reason: "the rule is empty" };
  return compileChecked(rule, schema as SchemaNode | undefined, kubernetesEnv());
}
