// The differential corpus: valid objects (our CEL Widgets, cert-manager, JobSet, a few built-ins) mutated into thousands of cases, reproducibly from a seed.
import { celCrd, validWidgetSpec, widgetFieldPool } from "./cel-crds.js";
import { formatCrd, gaugeFieldPool, validGaugeSpec } from "./format-crds.js";

/** A resource the corpus sends objects of; `schema` is the CRD version's openAPIV3Schema (none for built-ins). */
export interface CorpusTarget {
  readonly label: string;
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly schema?: unknown;
  /** The object's content besides apiVersion, kind and metadata. */
  readonly seed: Record<string, unknown>;
  /** Values worth trying at paths the seed may not have (what the CRD's own rules look at). */
  readonly extras?: Readonly<Record<string, readonly unknown[]>>;
  /** Values per spec field that the mutations of our own CRDs draw from, instead of generic ones. */
  readonly pool?: Readonly<Record<string, readonly unknown[]>>;
}

/** One object to send: created (dry run) or, when `update`, replacing the stored base object of its target. */
export interface CorpusCase {
  readonly target: CorpusTarget;
  readonly body: Record<string, unknown>;
  readonly update: boolean;
}

/** A small seeded generator (mulberry32), so a corpus is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const clone = <T>(value: T): T => structuredClone(value);

type Step = string | number;

/** Every path to a value inside `value` (objects and lists both), for the generic mutations. */
function paths(value: unknown, prefix: Step[] = []): Step[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...prefix, i], ...paths(item, [...prefix, i])]);
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...paths(item, [...prefix, key])]);
  return [];
}

function setPath(root: Record<string, unknown>, path: readonly Step[], value: unknown): void {
  let node = root as Record<Step, unknown>;
  path.slice(0, -1).forEach((step, i) => {
    // an earlier mutation may have put a scalar where this path goes on: a container replaces it
    if (typeof node[step] !== "object" || node[step] === null) node[step] = typeof path[i + 1] === "number" ? [] : {};
    node = node[step] as Record<Step, unknown>;
  });
  const last = path[path.length - 1] as Step;
  if (value === undefined && Array.isArray(node)) node.splice(last as number, 1);
  else if (value === undefined) delete node[last];
  else node[last] = value;
}

/** Replacements a generic mutation draws: wrong types, bounds, formats, absence. */
const GENERIC_VALUES: readonly unknown[] = [undefined, -1, 0, 2 ** 31, 1.5, "", "x".repeat(300), "Not_A-Name", "-bad-", "*", true, null, {}, [], "10.0.0.1", "1Gi"];

function genericMutation(random: () => number, target: CorpusTarget): Record<string, unknown> {
  const body = clone(target.seed);
  const extras = Object.entries(target.extras ?? {});
  const changes = 1 + Math.floor(random() * 2);
  for (let i = 0; i < changes; i++) {
    if (extras.length > 0 && random() < 0.4) {
      const [path, values] = pick(random, extras);
      setPath(body, path.split(".").map((step) => (/^\d+$/.test(step) ? Number(step) : step)), clone(pick(random, values)));
      continue;
    }
    const candidates = paths(body);
    if (candidates.length > 0) setPath(body, pick(random, candidates), clone(pick(random, GENERIC_VALUES)));
  }
  return body;
}

/** Up to three spec fields of the seed replaced from the target's pool (or removed). */
function poolMutation(random: () => number, target: CorpusTarget, pool: Readonly<Record<string, readonly unknown[]>>): Record<string, unknown> {
  const spec: Record<string, unknown> = clone(target.seed["spec"] as Record<string, unknown>);
  const fields = Object.keys(pool);
  const changes = Math.floor(random() * 4);
  for (let i = 0; i < changes; i++) {
    const field = pick(random, fields);
    if (random() < 0.1) delete spec[field];
    else spec[field] = clone(pick(random, pool[field] as readonly unknown[]));
  }
  return { spec };
}

/** One of our own CRDs (a namespaced, single-version one), as it is declared. */
interface OwnCrd {
  readonly spec: { readonly group: string; readonly names: { readonly plural: string; readonly kind: string }; readonly versions: readonly [{ readonly name: string; readonly schema: { readonly openAPIV3Schema: unknown } }] };
}

/** A target of our own CRD, mutated from its field pool. */
function ownTarget(label: string, crd: OwnCrd, spec: Record<string, unknown>, pool: Readonly<Record<string, readonly unknown[]>>): CorpusTarget {
  const [version] = crd.spec.versions;
  const { group, names } = crd.spec;
  return { label, group, version: version.name, plural: names.plural, kind: names.kind, namespaced: true, schema: version.schema.openAPIV3Schema, seed: { spec }, pool };
}

export const widgetTarget = ownTarget("Widget (CEL rules)", celCrd, validWidgetSpec, widgetFieldPool);
export const gaugeTarget = ownTarget("Gauge (formats, anyOf/oneOf/not)", formatCrd, validGaugeSpec, gaugeFieldPool);

/** How many cases each kind of target contributes; Widgets are also sent as updates (transition rules). */
export interface CorpusPlan {
  readonly widgets: number;
  /** Gauges (formats and combinators); per other target when not given. */
  readonly gauges?: number;
  readonly perOtherTarget: number;
  readonly updateShare: number;
}

/** The corpus: our own CRDs from field pools (Widgets type-correct, so the verdict is the rules'; Gauges every format and combinator), every other target from generic mutations. */
export function buildCorpus(targets: readonly CorpusTarget[], plan: CorpusPlan, seed = 26): CorpusCase[] {
  const random = seededRandom(seed);
  const cases: CorpusCase[] = [];
  for (const target of targets) {
    const isWidget = target === widgetTarget;
    const count = isWidget ? plan.widgets : target === gaugeTarget ? (plan.gauges ?? plan.perOtherTarget) : plan.perOtherTarget;
    for (let i = 0; i < count; i++) {
      const body = target.pool ? poolMutation(random, target, target.pool) : genericMutation(random, target);
      cases.push({ target, body, update: isWidget && random() < plan.updateShare });
    }
  }
  return cases;
}
