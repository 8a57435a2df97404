// What a parsed rule uses: the variables it names and the functions it calls, checked against the environment before any run.
import type { CelEnv } from "@bufbuild/cel";
import type { parse } from "@bufbuild/cel";

type Expr = ReturnType<typeof parse>["expr"];

/** A call as written; `qualified` is its namespaced reading (`strings.quote(x)` is a call of `strings.quote`, not a method on `strings`). */
interface Call {
  readonly name: string;
  readonly args: number;
  readonly method: boolean;
  readonly qualified?: string;
}

export interface RuleUses {
  readonly identifiers: ReadonlySet<string>;
  readonly calls: ReadonlyArray<Call>;
}

function children(expr: Expr): Expr[] {
  const kind = expr.exprKind;
  switch (kind.case) {
    case "selectExpr":
      return kind.value.operand ? [kind.value.operand] : [];
    case "callExpr":
      return [...(kind.value.target ? [kind.value.target] : []), ...kind.value.args];
    case "listExpr":
      return kind.value.elements;
    case "structExpr":
      return kind.value.entries.flatMap((e) => [...(e.keyKind.case === "mapKey" ? [e.keyKind.value] : []), ...(e.value ? [e.value] : [])]);
    case "comprehensionExpr": {
      const c = kind.value;
      return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].filter((e): e is Expr => e !== undefined);
    }
    default:
      return [];
  }
}

export function ruleUses(root: Expr): RuleUses {
  const identifiers = new Set<string>();
  const calls: Call[] = [];
  const pending = [root];
  for (let expr = pending.pop(); expr; expr = pending.pop()) {
    const kind = expr.exprKind;
    if (kind.case === "identExpr") identifiers.add(kind.value.name);
    if (kind.case === "callExpr") {
      const target = kind.value.target?.exprKind;
      const qualified = target?.case === "identExpr" ? `${target.value.name}.${kind.value.function}` : undefined;
      calls.push({ name: kind.value.function, args: kind.value.args.length, method: kind.value.target !== undefined, ...(qualified ? { qualified } : {}) });
    }
    pending.push(...children(expr));
  }
  return { identifiers, calls };
}

/** Calls the planner evaluates itself, not through the function registry. */
const PLANNER_CALLS = new Set(["_&&_", "_||_", "_?_:_", "_[_]", "@not_strictly_false"]);

/** The first call no overload in the environment can take (a function the evaluator lacks, or a macro form it does not expand). */
export function unknownCall(env: CelEnv, uses: RuleUses): string | undefined {
  for (const call of uses.calls) {
    if (PLANNER_CALLS.has(call.name)) continue;
    const takes = (name: string, method: boolean) => [...(env.funcs.find(name) ?? [])].some((f) => f.arguments.length === call.args && (f.target !== undefined) === method);
    if (!takes(call.name, call.method) && !(call.qualified && takes(call.qualified, false))) return `${call.method ? "." : ""}${call.name}() with ${call.args} argument${call.args === 1 ? "" : "s"}`;
  }
  return undefined;
}
