// Big collections on the canned server (10,000 to 100,000 pods, made as they are listed): a paged list and an
// informer per contender, each in a fresh process, so peak RSS is that client's alone.
import { join } from "node:path";
import { isListScenario, LEAN_INFORMER_SCENARIOS, METADATA_LIST_SCENARIO, scaleNamespace, type MemoryScenario } from "../../plan.js";
import { failureReason, runNode } from "../../spawn.js";
import { parseResult, type ScenarioResult } from "../../workers/protocol.js";
import type { RunContext } from "../context.js";

export const SCALE_OBJECTS_TABLE = "scale-objects";
export const SCALE_OBJECT_COLUMNS = ["kubetyped", "undici", "client-node-1"] as const;

const count = (n: number) => n.toLocaleString("en-US");
/**
 * Peak RSS minus the RSS of the same process once the client is loaded, before it lists: what the list or
 * informer itself costs, without Node's and the client's own footprint (about 65 MB with undici loaded).
 */
export const ADDED_RSS = "peak RSS added over the loaded client";
/** Row names the goals find the rows by. */
export const objectRows: Record<MemoryScenario, (n: number) => string> = {
  "list-paginated": (n) => `list ${count(n)} pods, pages of 500`,
  "list-metadata-paginated": (n) => `list ${count(n)} pods, metadata only, pages of 500`,
  informer: (n) => `informer holding ${count(n)} pods`,
  "informer-transform": (n) => `informer holding ${count(n)} pods, transform drops managedFields`,
  "informer-metadata": (n) => `informer holding ${count(n)} pods, metadata only`,
  "informer-metadata-lean": (n) => `informer holding ${count(n)} pods, metadata only, managedFields dropped`,
};

const SCENARIOS: MemoryScenario[] = ["list-paginated", METADATA_LIST_SCENARIO, "informer", ...LEAN_INFORMER_SCENARIOS];

export async function runScaleObjects(context: RunContext): Promise<void> {
  const id = SCALE_OBJECTS_TABLE;
  const series = context.sizes.scale.objectSeries;
  context.collector.table(
    id,
    `Scale: ${count(series.at(-1)!)} objects (canned server, fresh process per cell)`,
    SCALE_OBJECT_COLUMNS,
    "Pods as kube-apiserver 1.20 serves them (managedFields included, about 2.9 KB of JSON each). The lists page through the collection without keeping it (metadata only: what a metadata-only informer lists, so its row is the floor under that informer's peak in one process); the informer lists then watches and holds every pod. client-node's informer (makeInformer) lists the whole collection in one answer, as it is written to; kubetyped's pages it. One run per cell: peak RSS varies little between runs.",
  );
  // What a client has no API for is asked once, not once per size.
  const unsupported = new Map<string, ScenarioResult>();
  for (const n of series) {
    for (const scenario of SCENARIOS) {
      for (const contender of SCALE_OBJECT_COLUMNS) {
        const spec = { scenario: objectRows[scenario](n), metric: "peak RSS", unit: "MB", better: "lower" as const };
        const timeSpec = { ...spec, metric: isListScenario(scenario) ? "time to list" : "time to sync", unit: "ms" };
        const known = unsupported.get(`${scenario}/${contender}`);
        if (known === undefined) context.log(`scale: ${scenario}, ${count(n)} pods, ${contender}`);
        const result = known ?? (await measure(context, contender, scenario, n));
        if ("na" in result && !result.na.startsWith("failed")) unsupported.set(`${scenario}/${contender}`, result);
        if ("na" in result) {
          for (const row of [spec, timeSpec]) context.collector.notApplicable(id, row, contender, result.na);
          continue;
        }
        context.collector.add(id, spec, contender, result.metrics.peakRssMb!);
        context.collector.add(id, { ...spec, metric: ADDED_RSS }, contender, result.metrics.peakRssMb! - result.metrics.baselineRssMb!);
        context.collector.add(id, timeSpec, contender, result.metrics.ms!);
        if (result.metrics.heldHeapMb !== undefined) context.collector.add(id, { ...spec, metric: "heap held after sync + GC" }, contender, result.metrics.heldHeapMb);
      }
    }
  }
}

async function measure(context: RunContext, contender: string, scenario: MemoryScenario, n: number): Promise<ScenarioResult> {
  const job = { contender, target: context.canned.info, sizes: context.sizes, generatedCoreV1: context.workspace.generatedCoreV1, runTag: context.runTag, scenario, namespace: scaleNamespace(n), count: n };
  const finished = await runNode(["--expose-gc", join(context.benchDir, "workers", "memory.js"), JSON.stringify(job)], { cwd: context.root, timeoutMs: 900_000 });
  try {
    if (finished.code !== 0) throw new Error(failureReason(finished));
    return parseResult<ScenarioResult>(finished.stdout, `scale memory worker ${contender}`);
  } catch (error) {
    context.log(`  failed: ${(error as Error).message}`);
    return { na: `failed: ${(error as Error).message}` };
  }
}
