// The real kube-apiserver v1.20.2, started for this part alone, loaded with the scale section's CRDs for as
// long as the run allows: how many it takes in that time, how long until it serves and publishes them, and
// kubetyped generating from it (OpenAPI v2: the one document of every group).
import { join } from "node:path";
import { ensureControlPlaneBinaries, startLocalCluster, type LocalCluster } from "../../../local-cluster/index.js";
import { readTemplateCrds, scaleCrds, type Crd } from "../../crds/scale-crds.js";
import { adminClient, type AdminClient } from "../../setup/admin.js";
import { failureReason, runNode } from "../../spawn.js";
import { parseResult } from "../../workers/protocol.js";
import type { RunContext } from "../context.js";

export const SCALE_APISERVER_TABLE = "scale-apiserver";
const CRDS_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
/** CRDs created at once; the run stops adding batches when its time is up. */
const BATCH = 25;

export async function runScaleApiserver(context: RunContext): Promise<void> {
  const id = SCALE_APISERVER_TABLE;
  const budgetMs = context.sizes.scale.apiserverCrdBudgetMs;
  const budget = `${Math.round(budgetMs / 1000)} s`;
  context.collector.table(
    id,
    "Scale: a real kube-apiserver v1.20.2 loaded with the CRDs",
    ["kubetyped"],
    `A local control plane started for this part alone; the scale section's CRDs are created ${BATCH} at a time until ${budget} have passed. v1.20.2 publishes OpenAPI v2 only (one document of every group), which it rebuilds after each CRD: that is what limits how many fit in the time, and what generation from it reads.`,
  );
  const rows = {
    installed: { scenario: `CRDs created within ${budget}`, metric: "CRDs", unit: "", better: "higher" as const },
    established: { scenario: "creating them until all are Established", metric: "time", unit: "ms", better: "lower" as const },
    published: { scenario: "until /openapi/v2 describes all of them", metric: "time", unit: "ms", better: "lower" as const },
    publishedCount: { scenario: "CRDs /openapi/v2 describes when generation starts", metric: "CRDs", unit: "", better: "higher" as const },
    generation: { scenario: "kubetyped generation from the loaded cluster", metric: "time", unit: "ms", better: "lower" as const },
    generationRss: { scenario: "kubetyped generation from the loaded cluster", metric: "peak RSS", unit: "MB", better: "lower" as const },
  };
  const skip = (reason: string) => {
    for (const spec of Object.values(rows)) context.collector.notApplicable(id, spec, "kubetyped", reason);
  };
  if (budgetMs <= 0) return skip("--quick does not load a kube-apiserver with CRDs (it takes minutes)");
  let cluster: LocalCluster;
  try {
    await ensureControlPlaneBinaries({ build: true, log: context.log });
    cluster = await startLocalCluster({ log: context.log });
  } catch (error) {
    return skip(`no local control plane: ${(error as Error).message.split("\n")[0]!.slice(0, 200)}`);
  }
  const admin = await adminClient(cluster.kubeconfigPath);
  try {
    const crds = scaleCrds(await readTemplateCrds(join(context.root, "..", "shared", "k8s", "crds")), context.sizes.scale.crdSeries.at(-1)!);
    const installed = await installWithin(context, admin, crds, budgetMs);
    context.collector.add(id, rows.installed, "kubetyped", installed.count);
    context.collector.add(id, rows.established, "kubetyped", installed.establishedMs);
    const published = await waitForPublished(admin, crds.slice(0, installed.count), installed.started);
    context.collector.add(id, rows.publishedCount, "kubetyped", published.count);
    if (published.ms !== undefined) context.collector.add(id, rows.published, "kubetyped", published.ms);
    else context.collector.notApplicable(id, rows.published, "kubetyped", `${published.count} of ${installed.count} after ${PUBLISH_WAIT_MS / 60_000} more minutes; generation reads what is there`);
    context.log(`scale: ${installed.count} CRDs Established after ${Math.round(installed.establishedMs / 1000)} s, ${published.count} in /openapi/v2`);
    const out = join(context.workspace.dir, "scale", "from-apiserver");
    const finished = await runNode([join(context.benchDir, "workers", "generate.js"), JSON.stringify({ tool: "kubetyped", kubeconfig: cluster.kubeconfigPath, out })], { cwd: context.root, timeoutMs: 1_800_000 });
    if (finished.code !== 0) throw new Error(`generation from the loaded cluster failed: ${failureReason(finished)}`);
    const generated = parseResult<{ peakRssMb: number; groupVersions: number }>(finished.stdout, "generation from the loaded cluster");
    context.collector.add(id, rows.generation, "kubetyped", finished.wallMs);
    context.collector.add(id, rows.generationRss, "kubetyped", generated.peakRssMb);
    context.log(`  generated ${generated.groupVersions} group/versions in ${Math.round(finished.wallMs / 1000)} s`);
  } catch (error) {
    context.log(`  failed: ${(error as Error).message}`);
    for (const spec of [rows.generation, rows.generationRss]) context.collector.notApplicable(id, spec, "kubetyped", `failed: ${(error as Error).message}`.slice(0, 300));
  } finally {
    await admin.close();
    await cluster.stop();
  }
}

/** Creates CRDs a batch at a time until `budgetMs` has passed (the batch under way finishes), each batch Established before the next. */
async function installWithin(context: RunContext, admin: AdminClient, crds: Crd[], budgetMs: number): Promise<{ count: number; establishedMs: number; started: number }> {
  const started = performance.now();
  let count = 0;
  while (count < crds.length && performance.now() - started < budgetMs) {
    const batch = crds.slice(count, count + BATCH);
    const batchStarted = performance.now();
    await Promise.all(
      batch.map(async (crd) => {
        const answer = await admin.send("POST", CRDS_PATH, crd);
        if (answer.status >= 300 && answer.status !== 409) throw new Error(`create CRD ${crd.metadata.name}: ${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`);
      }),
    );
    for (const crd of batch) await waitEstablished(admin, crd.metadata.name);
    count += batch.length;
    context.log(`scale: ${count} CRDs Established (this batch ${Math.round(performance.now() - batchStarted)} ms)`);
  }
  return { count, establishedMs: performance.now() - started, started };
}

async function waitEstablished(admin: AdminClient, name: string): Promise<void> {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
    const answer = await admin.send("GET", `${CRDS_PATH}/${name}`);
    const conditions = ((answer.json.status as { conditions?: Array<{ type: string; status: string; message?: string }> } | undefined)?.conditions ?? []);
    if (conditions.some((condition) => condition.type === "Established" && condition.status === "True")) return;
    const refused = conditions.find((condition) => condition.type === "NamesAccepted" && condition.status === "False");
    if (refused) throw new Error(`CRD ${name} was not accepted: ${refused.message}`);
  }
  throw new Error(`CRD ${name} not Established within 300 s`);
}

/** How long to wait for /openapi/v2 after the last CRD is Established: v1.20.2 rebuilds one document of every group per CRD. */
const PUBLISH_WAIT_MS = 300_000;

/**
 * Polls /openapi/v2 (every 15 s: each answer is a ~20 MB document the server serializes) until it describes
 * every CRD's kind or PUBLISH_WAIT_MS passes; answers how many it describes, and since `started` when all.
 */
async function waitForPublished(admin: AdminClient, crds: Crd[], started: number): Promise<{ count: number; ms?: number }> {
  const wanted = new Set(crds.map((crd) => `${crd.spec.group}/${crd.spec.names.kind}`));
  let count = 0;
  for (const deadline = Date.now() + PUBLISH_WAIT_MS; ; await new Promise((resolve) => setTimeout(resolve, 15_000))) {
    const answer = await admin.send("GET", "/openapi/v2");
    const definitions = (answer.json.definitions ?? {}) as Record<string, { "x-kubernetes-group-version-kind"?: Array<{ group: string; kind: string }> }>;
    const published = new Set<string>();
    for (const definition of Object.values(definitions)) for (const gvk of definition["x-kubernetes-group-version-kind"] ?? []) published.add(`${gvk.group}/${gvk.kind}`);
    count = [...wanted].filter((kind) => published.has(kind)).length;
    if (count === wanted.size) return { count, ms: performance.now() - started };
    if (Date.now() >= deadline) return { count };
  }
}
