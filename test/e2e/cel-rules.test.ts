// kubetyped's validate() against the live server's verdicts: our Widget CRD (CEL rules of every library, transition rules) and a slice of the differential corpus.
import { afterAll, beforeAll, expect, it } from "vitest";
import { installCrds, uninstallCrds } from "../../local-cluster/crds.js";
import { clientFromConnection, type KubeClient } from "../../runtime/index.js";
import { loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { celCrd, validWidgetSpec } from "../../scripts/differential/cel-crds.js";
import { buildCorpus, widgetTarget, type CorpusCase, type CorpusTarget } from "../../scripts/differential/corpus.js";
import { clusterSchemas, fullVerdict } from "../../scripts/differential/full-verdict.js";
import { checkSeeds, createBases, describeFigures, figures, runCorpus, type FieldError, type Verdict } from "../../scripts/differential/run.js";
import { builtInTargets, crdTargets, sharedCrds } from "../../scripts/differential/targets.js";
import { describeWithCluster } from "../support/cluster.js";
import { sharedK8sPath } from "../support/shared-data.js";

/** Per library: spec changes over the valid Widget, created (or, with `update`, replacing the stored valid Widget). */
const LIBRARY_CASES: Record<string, Array<{ spec: Record<string, unknown>; update?: boolean }>> = {
  lists: [{ spec: { ports: [443, 80] } }, { spec: { ports: [0, 80] } }, { spec: { ports: [1, 65535] } }, { spec: { weights: [60.5, 40] } }, { spec: { tags: ["primary", "primary"] } }],
  strings: [
    { spec: { name: "Shop" } },
    { spec: { name: " shop" } },
    { spec: { name: "-shop" } },
    { spec: { name: "tmpfile" } },
    { spec: { name: "abcdefghijklmnopq" } },
    { spec: { path: "verylongsegment/x" } },
    { spec: { path: "/admin" } },
    { spec: { tags: ["verylongtag12345", "anotherlongtag1"] } },
  ],
  regex: [{ spec: { version: "1.2" } }, { spec: { version: "v1.x" } }, { spec: { path: "1/2/3/4" } }, { spec: { version: "v10" } }],
  quantity: [{ spec: { memory: "9G" } }, { spec: { memory: "1.5" } }, { spec: { memory: "2Gi" } }, { spec: { memoryLimit: "-2Mi" } }, { spec: { memory: "1e3" } }],
  "IP and CIDR": [
    { spec: { address: "10.01.2.3" } },
    { spec: { address: "127.0.0.1" } },
    { spec: { address: "2001:DB8::1", network: "2001:db8::/32" } },
    { spec: { address: "2001:db8::1", network: "2001:db8::/32" } },
    { spec: { network: "10.1.2.3/8" } },
    { spec: { address: "192.168.0.1", network: "192.168.0.0/16" } },
  ],
  URL: [
    { spec: { homepage: "../relative" } },
    { spec: { homepage: "http://shop.example.com/" } },
    { spec: { homepage: "https://localhost:8443/x" } },
    { spec: { homepage: "https://shop.example.com/a%20b%20c%20d%20e/" } },
    { spec: { homepage: "https://shop.example.com/?debug=1&x=2" } },
    { spec: { homepage: "https://example.com:80/" } },
    { spec: { homepage: "https://exa mple.com/" } },
    { spec: { homepage: "/relative/ok" } },
  ],
  format: [
    { spec: { hostLabel: "Shop" } },
    { spec: { hostLabel: "shop.1" } },
    { spec: { hostLabel: "a".repeat(64) } },
    { spec: { hostLabel: "1shop" } },
    { spec: { hostLabel: "shop-" } },
    { spec: { labelKey: "a/b/c" } },
    { spec: { labelKey: "/shop" } },
    { spec: { labelKey: "example.com/" + "s".repeat(64) } },
    { spec: { labelKey: "x".repeat(45) } },
    { spec: { domain: "shop..example.com" } },
    { spec: { homepage: "" } },
  ],
  semver: [
    { spec: { appVersion: "banana" } },
    { spec: { appVersion: "3.0.0" } },
    { spec: { appVersion: "0.9.0" } },
    { spec: { appVersion: "v1.4" } },
    { spec: { appVersion: "2.0.0-rc.1" } },
    { spec: { appVersion: "2.0.0-rc.2" } },
    { spec: { appVersion: "1.2.3-01" } },
  ],
  "date, date-time and duration": [
    { spec: { end: "2026-01-01T09:00:00Z" } },
    { spec: { end: "2026-03-15T00:00:00Z" } },
    { spec: { start: "2026-01-01T10:00:00.500Z", end: "2026-01-01T10:00:00.250Z" } },
    { spec: { day: "2019-12-31" } },
    { spec: { timeout: "1.5h" } },
    { spec: { timeout: "-5m" } },
    { spec: { timeout: "250ms" } },
  ],
  "int-or-string, double and maps": [{ spec: { maxSurge: -1 } }, { spec: { maxSurge: "25" } }, { spec: { maxSurge: 3 } }, { spec: { ratio: 1.5 } }, { spec: { labels: { averyveryverylongkey: "x" } } }],
  "list items and messageExpression": [{ spec: { ranges: [{ from: 5, to: 2 }] } }, { spec: { ranges: [{ from: 200, to: 2 }, { from: 1, to: 2 }] } }],
  transition: [
    { spec: { maxReplicas: 4 }, update: true },
    { spec: { maxReplicas: 9 }, update: true },
    { spec: { mode: "slow" }, update: true },
    { spec: { mode: "slow" } },
    { spec: { tier: "bronze" }, update: true },
    { spec: { tier: "gold" }, update: true },
    { spec: { tier: "platinum" } },
  ],
};

const sorted = (errors: readonly FieldError[]) => [...errors].sort((a, b) => `${a.field}${a.message}`.localeCompare(`${b.field}${b.message}`));

describeWithCluster("CEL rules checked before sending agree with the live server (dryRun=All)", (cluster) => {
  let kube: KubeClient;
  let bases: Awaited<ReturnType<typeof createBases>>;
  let shared: CorpusTarget[];
  let verdict: Verdict;

  beforeAll(async () => {
    const connection = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath });
    kube = clientFromConnection(connection, { warnings: false });
    const crds = await sharedCrds(sharedK8sPath());
    shared = crdTargets(crds);
    await installCrds(kube, [celCrd, ...crds] as never);
    // The client's verdict is the product's own: validate() over the schemas the cluster now serves.
    verdict = fullVerdict(await clusterSchemas(connection));
    bases = await createBases(kube, [widgetTarget], `base-${Date.now().toString(36)}`);
  }, 120_000);
  afterAll(async () => {
    if (kube) await uninstallCrds(kube, [celCrd] as never);
    await kube?.close();
  });

  for (const [library, specs] of Object.entries(LIBRARY_CASES)) {
    it(`${library}: the same verdict, field paths and messages as the server`, async () => {
      const cases: CorpusCase[] = specs.map(({ spec, update }) => ({ target: widgetTarget, body: { spec: { ...validWidgetSpec, ...spec } }, update: update ?? false }));
      const results = await runCorpus(kube, cases, verdict, bases);
      for (const { case: item, server, client } of results) {
        const label = JSON.stringify({ spec: item.body.spec, update: item.update });
        expect(sorted(client), label).toEqual(server === "accepted" ? [] : sorted(server));
      }
      expect(results.filter((r) => r.server !== "accepted").length, "each library has cases the server refuses").toBeGreaterThan(0);
    }, 60_000);
  }

  it("a slice of the differential corpus: no false rejection, and the Widgets' verdicts all the same", async () => {
    const targets = [widgetTarget, ...shared, ...builtInTargets];
    await checkSeeds(kube, targets);
    const results = await runCorpus(kube, buildCorpus(targets, { widgets: 300, perOtherTarget: 10, updateShare: 0.4 }, 7), verdict, bases);
    const all = figures(results);
    const widgets = figures(results.filter((r) => r.case.target === widgetTarget));
    console.log(describeFigures("corpus slice", all));
    console.log(describeFigures("Widgets", widgets));
    expect(all.falseRejections).toBe(0);
    expect(widgets.serverRejections).toBeGreaterThan(50);
    expect(widgets.sameVerdict / widgets.count).toBeGreaterThanOrEqual(0.995);
    expect(widgets.samePath).toBe(widgets.caught);
  }, 300_000);
});
