// The validation keywords of every named schema, kept beside the IR (which keeps only shapes) for the generated `.validate.ts` modules.
import { compileCelRule, translatePattern, type SchemaNode } from "../../runtime/validate/index.js";
import { childCosts, rootCosts, ruleCostProblem, totalCostProblem, type RuleCosts } from "./rule-cost.js";
import { compareStrings, isRecord, refTarget, type Definition, type RawSchema } from "./definitions.js";
import type { TypeRef, ValidationModel } from "./ir.js";
import type { ServerVersion } from "../sources/types.js";

/** Keywords copied as they are: the ones the API server validates with. */
const KEPT = [
  "type", "format", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
  "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "required", "nullable", "default",
  "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string",
  "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
  // Not validation: how a strategic merge patch merges a built-in's field, so a patch is checked on what it makes.
  "x-kubernetes-patch-strategy", "x-kubernetes-patch-merge-key",
] as const;
const NESTED_LISTS = ["allOf", "anyOf", "oneOf"] as const;

/** Reads every definition's validation keywords before the documents are consumed. */
export function collectValidation(definitions: Map<string, Definition>, refOf: (definitionKey: string) => TypeRef | undefined, server?: ServerVersion): ValidationModel {
  const model: ValidationModel = { modules: new Map(), leftToServer: [] };
  for (const definition of definitions.values()) {
    const ref = refOf(definition.key);
    if (ref === undefined) continue;
    const schemas = model.modules.get(ref.module) ?? {};
    model.modules.set(ref.module, schemas);
    const builtIn = BUILT_IN.test(definition.key);
    const costs = rootCosts();
    const pruned = pruneSchema(definition.schema, { refOf, left: model.leftToServer, at: definition.key, builtIn, formatsSince: formatsSince(server), costs });
    const schema = totalCostProblem(definition.key, costs, model.leftToServer) ? withoutRules(pruned) : pruned;
    // A built-in kind takes strategic merge patches (merged by its Go struct tags, published as the patch keywords); a custom resource answers 415.
    schemas[ref.name] = builtIn && definition.groupVersionKinds.length > 0 ? { ...schema, "x-kubetyped-strategic-merge": true } : schema;
  }
  return model;
}

interface PruneContext {
  refOf: (definitionKey: string) => TypeRef | undefined;
  left: string[];
  /** `io.k8s.api.apps.v1.DeploymentSpec.replicas`, for the lines of `left`. */
  at: string;
  /** A built-in type: its published `default` is the Go zero value, which the server never fills in from the schema; null decodes to that value. */
  builtIn: boolean;
  /** The formats this server checks beyond those every server checks (apiextensions adds some by release). */
  formatsSince: ReadonlySet<string>;
  /** How often this node can occur in one object and the rules' weighted cost so far, as the server estimates them. */
  costs: RuleCosts;
}

/** Formats apiextensions added in a release, by minor version of Kubernetes 1.x. */
const FORMATS_ADDED: ReadonlyArray<{ minor: number; formats: readonly string[] }> = [{ minor: 34, formats: ["k8s-short-name", "k8s-long-name"] }];

/** What a server of this version checks among the formats added later; an unknown version is taken as one that checks none of them. */
function formatsSince(server: ServerVersion | undefined): ReadonlySet<string> {
  const minor = server?.major === "1" ? Number.parseInt(server.minor, 10) : Number.NaN;
  return new Set(FORMATS_ADDED.flatMap((added) => (minor >= added.minor ? added.formats : [])));
}

const BUILT_IN = /^io\.k8s\.(api|apimachinery|kube-aggregator|apiextensions-apiserver)\./;

function pruneSchema(schema: unknown, context: PruneContext): SchemaNode {
  if (!isRecord(schema)) return {};
  const node: Record<string, unknown> = {};
  const ref = schema["$ref"];
  if (typeof ref === "string") {
    const target = refTarget(ref);
    const typeRef = target === undefined ? undefined : context.refOf(target);
    if (typeRef !== undefined) node["$ref"] = `${typeRef.module}#${typeRef.name}`;
  }
  for (const keyword of KEPT) if (schema[keyword] !== undefined && !(keyword === "default" && context.builtIn)) node[keyword] = schema[keyword];
  // A format the server of this version strips (it came later) is checked by no one: the walker must not either.
  if (typeof node["format"] === "string" && FORMATS_ADDED.some((added) => added.formats.includes(node["format"] as string)) && !context.formatsSince.has(node["format"])) delete node["format"];
  // Go decodes a built-in's JSON null to the zero value, anywhere: never a type error (the server may still refuse the zero value).
  // IntOrString and Quantity say their types only in a oneOf.
  if (context.builtIn && (schema["type"] !== undefined || schema["x-kubernetes-int-or-string"] === true || Array.isArray(schema["oneOf"]) || Array.isArray(schema["anyOf"]))) node["nullable"] = true;
  // A built-in's Go defaulting takes "" as unset (a Service's type "" becomes ClusterIP, a port's protocol TCP), schema default or not.
  if (context.builtIn && Array.isArray(node["enum"]) && node["enum"].every((value) => typeof value === "string") && !node["enum"].includes("")) node["enum"] = [...node["enum"], ""];
  keepPattern(schema, node, context);
  keepRules(schema, node, context);
  const properties = schema["properties"];
  if (isRecord(properties)) {
    node["properties"] = Object.fromEntries(
      Object.keys(properties)
        .sort(compareStrings)
        .map((name) => [name, pruneSchema(properties[name], { ...context, at: `${context.at}.${name}`, costs: childCosts(context.costs, 1, properties[name]) })]),
    );
  }
  const additional = schema["additionalProperties"];
  if (isRecord(additional)) node["additionalProperties"] = pruneSchema(additional, { ...context, at: `${context.at}[*]`, costs: childCosts(context.costs, bound(schema["maxProperties"]), additional) });
  if (isRecord(schema["items"])) node["items"] = pruneSchema(schema["items"], { ...context, at: `${context.at}[*]`, costs: childCosts(context.costs, bound(schema["maxItems"]), schema["items"]) });
  for (const keyword of NESTED_LISTS) {
    const list = schema[keyword];
    if (Array.isArray(list)) keepBranches(node, keyword, list, context);
  }
  if (isRecord(schema["not"])) keepBranches(node, "not", [schema["not"]], context);
  return node as SchemaNode;
}

/**
 * allOf/anyOf/oneOf/not branches. A pattern left to the server inside `not` or `oneOf` could turn its verdict (a
 * branch the client passes may fail on the server), so such a combinator is left to the server whole.
 */
function keepBranches(node: Record<string, unknown>, keyword: (typeof NESTED_LISTS)[number] | "not", list: readonly unknown[], context: PruneContext): void {
  const before = context.left.length;
  const branches = list.map((part) => pruneSchema(part, { ...context, at: `${context.at}.${keyword}` }));
  if ((keyword === "not" || keyword === "oneOf") && context.left.length > before) {
    context.left.push(`${context.at}: ${keyword}: left to the server with the pattern(s) above`);
    return;
  }
  node[keyword] = keyword === "not" ? branches[0] : branches;
}

/** A pattern JavaScript cannot match exactly as Go's RE2 does is dropped: the server alone checks it. */
function keepPattern(schema: RawSchema, node: Record<string, unknown>, context: PruneContext): void {
  const pattern = schema["pattern"];
  if (typeof pattern !== "string") return;
  const translated = translatePattern(pattern);
  if (translated.ok) node["pattern"] = pattern;
  else context.left.push(`${context.at}: pattern ${JSON.stringify(pattern)}: ${translated.reason}`);
}

const bound = (value: unknown): number | undefined => (typeof value === "number" ? Math.max(0, value) : undefined);

/**
 * `x-kubernetes-validations` are kept whole; the ones the CEL evaluator cannot compile are named here once. A rule
 * over the server's cost limit is dropped (the server refuses such a CRD, so it alone can judge it) and named too.
 */
function keepRules(schema: RawSchema, node: Record<string, unknown>, context: PruneContext): void {
  const rules = schema["x-kubernetes-validations"];
  if (!Array.isArray(rules)) return;
  const kept = rules.filter((rule): rule is RawSchema & { rule: string } => isRecord(rule) && typeof rule["rule"] === "string").filter((rule) => {
    const problem = ruleCostProblem(rule, schema, context.costs);
    if (problem) context.left.push(`${context.at}: rule ${JSON.stringify(rule.rule)}: ${problem}`);
    return problem === undefined;
  });
  if (kept.length === 0) return;
  node["x-kubernetes-validations"] = kept;
  for (const rule of kept) {
    const compiled = compileCelRule(rule, schema);
    if (!compiled.ok) context.left.push(`${context.at}: rule ${JSON.stringify(rule.rule)}: ${compiled.reason}`);
  }
}

/** A schema with no CEL rule left anywhere in it: the server refuses the whole set for its total cost. */
function withoutRules(node: SchemaNode): SchemaNode {
  return JSON.parse(JSON.stringify(node), (key, value) => (key === "x-kubernetes-validations" ? undefined : value)) as SchemaNode;
}
