// The generator's CEL cost estimate against the live server's: the CRDs the server refuses for cost are exactly those whose rules kubetyped leaves to it for cost.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Definition } from "../../generator/model/definitions.js";
import { collectValidation } from "../../generator/model/validation.js";
import { clientFromConnection, type KubeClient, StatusError } from "../../runtime/index.js";
import { loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { describeWithCluster } from "../support/cluster.js";
import { namespacedCrd } from "../support/cluster-ops.js";

const strings = (bounds: { maxItems?: number; maxLength?: number }) => ({ type: "array", ...(bounds.maxItems !== undefined && { maxItems: bounds.maxItems }), items: { type: "string", ...(bounds.maxLength !== undefined && { maxLength: bounds.maxLength }) } });
const grid = (maxItems?: number) => ({ type: "array", ...(maxItems && { maxItems }), items: { type: "array", ...(maxItems && { maxItems }), items: { type: "integer" } } });
const itemsOf = (maxItems?: number) => ({ type: "array", ...(maxItems && { maxItems }), items: { type: "object", properties: { a: { type: "string", maxLength: 64 } }, "x-kubernetes-validations": [{ rule: "!has(self.a) || self.a.matches('^[a-z]+$')" }] } });
const ruled = (schema: object, rule: string, extra: object = {}) => ({ ...schema, "x-kubernetes-validations": [{ rule, ...extra }] });
const ALL_MATCH = "self.all(x, x.matches('^[a-z]+$'))";

/** Each case is the `spec` of one CRD. */
const CASES: Record<string, object> = {
  "all/matches, maxItems and maxLength": { type: "object", properties: { names: ruled(strings({ maxItems: 10, maxLength: 10 }), ALL_MATCH) } },
  "all/matches, unbounded list and strings": { type: "object", properties: { names: ruled(strings({}), ALL_MATCH) } },
  "all/matches, maxLength only": { type: "object", properties: { names: ruled(strings({ maxLength: 10 }), ALL_MATCH) } },
  "all/matches, 15 unbounded strings (just under)": { type: "object", properties: { names: ruled(strings({ maxItems: 15 }), ALL_MATCH) } },
  "all/matches, 16 unbounded strings (just over)": { type: "object", properties: { names: ruled(strings({ maxItems: 16 }), ALL_MATCH) } },
  "exists/startsWith, unbounded": { type: "object", properties: { names: ruled(strings({}), "self.exists(x, x.startsWith('a'))") } },
  "nested all(), 100 by 100": { type: "object", properties: { grid: ruled(grid(100), "self.all(row, row.all(cell, cell >= 0))") } },
  "nested all(), unbounded": { type: "object", properties: { grid: ruled(grid(), "self.all(row, row.all(cell, cell >= 0))") } },
  "rule on the items of a list of 100": { type: "object", properties: { items: itemsOf(100) } },
  "rule on the items of an unbounded list": { type: "object", properties: { items: itemsOf() } },
  "contains on an unbounded string": { type: "object", properties: { text: ruled({ type: "string" }, "self.contains('x' + self)") } },
  "concatenation of a URL's scheme in messageExpression": { type: "object", properties: { url: ruled({ type: "string", maxLength: 200 }, "isURL(self)", { messageExpression: "'unsupported scheme ' + url(self).getScheme()" }) } },
  "map/filter on a map of 1000": { type: "object", properties: { labels: ruled({ type: "object", maxProperties: 1000, additionalProperties: { type: "string", maxLength: 63 } }, "self.filter(k, k.startsWith('x')).all(k, self[k].matches('^[a-z]*$'))") } },
  "string() of an integer in a messageExpression": { type: "object", properties: { n: ruled({ type: "integer" }, "self < 10", { messageExpression: "'n ' + string(self) + ' is 10 or more'" }) } },
  "split() and all() on an unbounded string": { type: "object", properties: { csv: ruled({ type: "string" }, "self.split(',').all(x, size(x) < 10)") } },
  "lowerAscii() then matches on an unbounded string": { type: "object", properties: { name: ruled({ type: "string" }, "self.lowerAscii().matches('^[a-z]+$')") } },
  "join() of an unbounded list": { type: "object", properties: { parts: ruled(strings({}), "self.join(',').size() < 100") } },
  "matches on the keys of a map of 20": { type: "object", properties: { labels: ruled({ type: "object", maxProperties: 20, additionalProperties: { type: "string", maxLength: 63 } }, ALL_MATCH) } },
  "30 rules of about 4 million each (the per-CRD total)": {
    type: "object",
    properties: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`list${i}`, ruled(strings({ maxItems: 5000, maxLength: 1000 }), ALL_MATCH)])),
  },
};

const GROUP = "celcost.kubetyped.test";
const crdOf = (index: number, spec: object) => namespacedCrd(GROUP, { plural: `costs${index}`, kind: `Cost${index}` }, { type: "object", properties: { spec } });

/** kubetyped's verdict: does generation leave any of the CRD's rules to the server for cost? */
function estimateRefuses(index: number, spec: object): boolean {
  const schema = crdOf(index, spec).spec.versions[0]!.schema.openAPIV3Schema as Definition["schema"];
  const model = collectValidation(new Map([["crd", { key: `Cost${index}`, schema, document: "test", pointer: "#", groupVersionKinds: [] }]]), () => ({ module: "test/v1", name: `Cost${index}` }));
  return model.leftToServer.some((line) => /exceeds the server's limit/.test(line));
}

describeWithCluster("the CEL cost estimate against the live server's", (cluster) => {
  let kube: KubeClient;
  beforeAll(async () => {
    kube = clientFromConnection(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }), { warnings: false });
  });
  afterAll(async () => kube?.close());

  /** The server's verdict on creating the CRD (dry run: nothing stays): refused for cost, or accepted. */
  async function serverRefuses(index: number, spec: object): Promise<boolean> {
    const path = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    const answer = await kube.requestJson({ method: "POST", path, query: { dryRun: "All" }, body: crdOf(index, spec) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (answer === undefined) return false;
    if (answer instanceof StatusError && answer.code === 422 && /cost/i.test(answer.message)) return true;
    throw answer;
  }

  it("refuses exactly the CRDs whose rules the estimate puts over the limits", async () => {
    const verdicts = [];
    for (const [index, [name, spec]] of Object.entries(CASES).entries()) {
      verdicts.push({ name, server: await serverRefuses(index, spec), kubetyped: estimateRefuses(index, spec) });
    }
    expect(verdicts.filter((v) => v.server !== v.kubetyped)).toEqual([]);
    expect(verdicts.filter((v) => v.server).length).toBeGreaterThanOrEqual(5);
    expect(verdicts.filter((v) => !v.server).length).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
