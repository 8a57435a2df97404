// `node dist/scripts/validate-differential.js --kubeconfig <file>`: the differential corpus against a live server, judged by kubetyped's
// whole `validate()` (schema and CEL rules) over the schemas that server serves.
import path from "node:path";
import { parseArgs } from "node:util";
import { installCrds } from "../local-cluster/crds.js";
import { clientFromConnection } from "../runtime/index.js";
import { loadKubeconfig } from "../runtime/entries/plumbing.js";
import { celCrd } from "./differential/cel-crds.js";
import { formatCrd } from "./differential/format-crds.js";
import { clusterSchemas, fullVerdict } from "./differential/full-verdict.js";
import { buildCorpus, gaugeTarget, widgetTarget, type CorpusTarget } from "./differential/corpus.js";
import { checkSeeds, createBases, describeFigures, figures, runCorpus, type CaseResult } from "./differential/run.js";
import { builtInTargets, crdTargets, sharedCrds } from "./differential/targets.js";

function report(label: string, results: readonly CaseResult[]): void {
  console.log(describeFigures(label, figures(results)));
}

function printDisagreements(results: readonly CaseResult[], limit: number): void {
  const differing = results.filter(({ server, client }) => (server === "accepted") !== (client.length === 0) || (server !== "accepted" && client.length > 0 && !server.some((c) => c.field === client[0]?.field && c.message === client[0]?.message)));
  for (const { case: item, server, client } of differing.slice(0, limit)) {
    console.log(`  ${item.target.kind}${item.update ? " (update)" : ""}: server ${server === "accepted" ? "accepted" : JSON.stringify(server.slice(0, 2))}; client ${JSON.stringify(client.slice(0, 2))}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: "string" },
      shared: { type: "string", default: path.join(process.cwd(), "..", "shared", "k8s") },
      widgets: { type: "string", default: "3000" },
      gauges: { type: "string", default: "1000" },
      "per-target": { type: "string", default: "300" },
      seed: { type: "string", default: "26" },
      show: { type: "string", default: "10" },
    },
  });
  if (!values.kubeconfig) throw new Error("--kubeconfig <file> is required: the cluster the corpus is sent to (e.g. `kubetyped local-cluster up`'s)");
  const connection = await loadKubeconfig({ kubeconfig: values.kubeconfig });
  const kube = clientFromConnection(connection, { warnings: false });
  try {
    const shared = await sharedCrds(values.shared);
    await installCrds(kube, [celCrd, formatCrd, ...shared] as never);
    const targets: CorpusTarget[] = [widgetTarget, gaugeTarget, ...crdTargets(shared), ...builtInTargets];
    await checkSeeds(kube, targets);
    const cases = buildCorpus(targets, { widgets: Number(values.widgets), gauges: Number(values.gauges), perOtherTarget: Number(values["per-target"]), updateShare: 0.4 }, Number(values.seed));
    const bases = await createBases(kube, [widgetTarget], `base-${Date.now().toString(36)}`);
    const started = performance.now();
    const verdict = fullVerdict(await clusterSchemas(connection));
    const results = await runCorpus(kube, cases, verdict, bases);
    console.log(`${cases.length} objects sent with dryRun=All in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${values.seed})`);
    report("all", results);
    for (const group of new Set(targets.map((t) => t.label))) report(group, results.filter((r) => r.case.target.label === group));
    printDisagreements(results, Number(values.show));
  } finally {
    await kube.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
