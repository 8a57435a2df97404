// Schema formats, number ranges and anyOf/oneOf/not against the live server: each value of the Gauge CRD's field pools alone, the server's causes beside validate()'s.
import { afterAll, beforeAll, expect, it } from "vitest";
import { installCrds, uninstallCrds } from "../../local-cluster/crds.js";
import { clientFromConnection, type KubeClient } from "../../runtime/index.js";
import { loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { gaugeTarget, type CorpusCase } from "../../scripts/differential/corpus.js";
import { formatCrd, gaugeFieldPool, validGaugeSpec } from "../../scripts/differential/format-crds.js";
import { clusterSchemas, fullVerdict } from "../../scripts/differential/full-verdict.js";
import { runCorpus, type FieldError, type Verdict } from "../../scripts/differential/run.js";
import { describeWithCluster } from "../support/cluster.js";

/** What the server refuses that the client leaves to it (Go's parsers alone can tell; README "Validating before you send"). */
const LEFT_TO_SERVER: Readonly<Record<string, readonly unknown[]>> = {
  link: ["http://[::1", "http://x/%zz"],
  wait: ["1y"],
  blob: ["", "aGk=\n"],
};

const sorted = (causes: readonly FieldError[]) => [...causes].map(({ field, reason, message }) => `${field} ${reason} ${message}`).sort();

describeWithCluster("formats and combinators: validate() answers what the API server answers", (cluster) => {
  let kube: KubeClient;
  let verdict: Verdict;

  beforeAll(async () => {
    const connection = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath });
    kube = clientFromConnection(connection, { warnings: false });
    await installCrds(kube, [formatCrd] as never);
    verdict = fullVerdict(await clusterSchemas(connection));
  }, 120_000);
  afterAll(async () => {
    if (kube) await uninstallCrds(kube, [formatCrd] as never);
    await kube?.close();
  });

  it("each pool value alone: the server's causes, or (for the few Go alone can judge) nothing and never a refusal the server does not make", async () => {
    const changes = Object.entries(gaugeFieldPool).flatMap(([field, values]) => values.map((value) => ({ field, value })));
    const cases: CorpusCase[] = changes.map(({ field, value }) => ({ target: gaugeTarget, body: { spec: { ...validGaugeSpec, [field]: value } }, update: false }));
    const results = await runCorpus(kube, cases, verdict, new Map());
    const mismatches: string[] = [];
    let refused = 0;
    results.forEach(({ server, client }, index) => {
      const { field, value } = changes[index]!;
      if (server !== "accepted") refused++;
      const left = server !== "accepted" && client.length === 0 && (LEFT_TO_SERVER[field] ?? []).includes(value);
      const expected = server === "accepted" ? [] : sorted(server);
      if (!left && JSON.stringify(sorted(client)) !== JSON.stringify(expected)) mismatches.push(`${field}=${JSON.stringify(value)}\n  server: ${JSON.stringify(expected)}\n  client: ${JSON.stringify(sorted(client))}`);
    });
    expect(mismatches.join("\n")).toBe("");
    expect(refused, "the pools hold values the server refuses").toBeGreaterThan(100);
  }, 180_000);
});
