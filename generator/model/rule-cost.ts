// The API server's cost limits on a CRD's CEL rules, applied at generation: a rule over them is left to the server and named once.
import { CRD_COST_LIMIT, RULE_COST_LIMIT, estimateCelCost, formatCost, weightedRuleCost, type CostSchema } from "../../runtime/validate/index.js";

/** Where a schema node sits for the cost estimate; `spent` is shared by every node of one definition. */
export interface RuleCosts {
  readonly spent: { total: number };
  /** How many times the node can occur in one object; undefined under a list or map without maxItems/maxProperties. */
  readonly cardinality: number | undefined;
  /** The resource's root (or an embedded resource's): apiVersion, kind and metadata.name are typed there. */
  readonly resourceRoot: boolean;
}

export function rootCosts(): RuleCosts {
  return { spent: { total: 0 }, cardinality: 1, resourceRoot: true };
}

/** A property (factor 1), or the items/values of a list/map with at most `factor` of them (undefined: unbounded). */
export function childCosts(costs: RuleCosts, factor: number | undefined, schema: unknown): RuleCosts {
  const cardinality = costs.cardinality === undefined || factor === undefined ? undefined : costs.cardinality * factor;
  const embedded = typeof schema === "object" && schema !== null && (schema as Record<string, unknown>)["x-kubernetes-embedded-resource"] === true;
  return { spent: costs.spent, cardinality, resourceRoot: embedded };
}

/**
 * Why the server would refuse this rule (or its messageExpression) for cost. A rule under the limit adds its weighted
 * cost (and its messageExpression's) to the definition's total (one already left to the server is not counted twice against the others).
 */
export function ruleCostProblem(rule: { rule: string; messageExpression?: unknown }, schema: CostSchema, costs: RuleCosts): string | undefined {
  const expressions = [rule.rule, ...(typeof rule.messageExpression === "string" ? [rule.messageExpression] : [])];
  let ruleCost = 0;
  for (const [index, source] of expressions.entries()) {
    let cost: number;
    try {
      cost = weightedRuleCost(estimateCelCost(source, schema, costs.resourceRoot), costs.cardinality, schema);
    } catch {
      continue; // not parsed here: reported by the compiler instead
    }
    ruleCost += cost; // the server counts a messageExpression's cost in the total too
    if (cost > RULE_COST_LIMIT) return `${index === 0 ? "estimated cost" : "its messageExpression's estimated cost"} ${formatCost(cost)} exceeds the server's limit ${RULE_COST_LIMIT}`;
  }
  costs.spent.total += ruleCost;
  return undefined;
}

/** True (and named once) where all the rules of one definition together are over the server's per-CRD limit. */
export function totalCostProblem(at: string, costs: RuleCosts, left: string[]): boolean {
  if (costs.spent.total <= CRD_COST_LIMIT) return false;
  left.push(`${at}: the rules' estimated total cost ${formatCost(costs.spent.total)} exceeds the server's limit ${CRD_COST_LIMIT} for one CRD: all its rules are left to the server`);
  return true;
}
