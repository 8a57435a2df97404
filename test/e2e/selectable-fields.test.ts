// CRD selectableFields on live servers: 1.37 filters by them and the generated client types them; 1.20 has none and fields() stays open.
import { randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { snapshot } from "../../generator/snapshot.js";
import { installCrds, uninstallCrds } from "../../local-cluster/crds.js";
import { clientFromConnection, type ClusterConnection, type KubeClient } from "../../runtime/index.js";
import { loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { typecheckFolder } from "../corpus/support/typecheck.js";
import { createNamespace, namespacedCrd, waitForSettledApi } from "../support/cluster-ops.js";
import { describeWithEachCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";

/** A CRD whose version lists `.spec.color` and `.spec.size` as selectable (`modern`: a 1.20 server has no such field). */
function gadgetCrd(group: string, modern: boolean) {
  const property = { type: "string" };
  const crd = namespacedCrd(group, { plural: "gadgets", kind: "Gadget" }, { type: "object", properties: { spec: { type: "object", properties: { color: property, size: property, shape: property } } } });
  if (!modern) return crd;
  const selectableFields = [{ jsonPath: ".spec.color" }, { jsonPath: ".spec.size" }];
  return { ...crd, spec: { ...crd.spec, versions: crd.spec.versions.map((version) => ({ ...version, selectableFields })) } };
}

/** Run by the test: lists, watches and deletes by selectable fields through the generated client. */
const PROGRAM = `import { fields, type KubeClient } from "kubetyped/runtime";
import { gadgets } from "./gen/GROUP/v1.js";

export async function run(kube: KubeClient, namespace: string) {
  const client = kube.resource(gadgets);
  const names = (list: { items: Array<{ metadata: { name: string } }> }) => list.items.map((item) => item.metadata.name).sort();
  const red = names(await client.list({ namespace, fieldSelector: fields({ "spec.color": "red" }) }));
  const notSmall = names(await client.list({ namespace, fieldSelector: fields({ "spec.size": ["!=", "small"] }) }));
  const watched: string[] = [];
  for await (const event of client.watch({ namespace, fieldSelector: fields({ "spec.color": "red", "spec.size": "large" }), resume: false, timeoutSeconds: 1 })) {
    if (event.type === "ADDED") watched.push(event.object.metadata.name);
  }
  await client.deletecollection({ namespace, fieldSelector: fields({ "spec.color": "blue" }) });
  const left = names(await client.list({ namespace }));
  return { red, notSmall, watched, left };
}
`;

/** A path the CRD does not list. */
const MISTAKE = `import { fields, type KubeClient } from "kubetyped/runtime";
import { gadgets } from "./gen/GROUP/v1.js";

export async function shapes(kube: KubeClient) {
  return kube.resource(gadgets).list({ fieldSelector: fields({ "spec.shape": "round" }) });
}
`;

describeWithEachCluster("CRD selectableFields, generated from the live server", (cluster) => {
  const modern = !cluster.version.startsWith("v1.20.");
  const group = `sel${randomBytes(4).toString("hex")}.kubetyped.test`;
  const namespace = `selectable-${randomBytes(3).toString("hex")}`;
  const crd = gadgetCrd(group, modern);
  let connection: ClusterConnection;
  let kube: KubeClient;
  let dir: string;
  let warnings: string[];

  beforeAll(async () => {
    await waitForSettledApi(cluster);
    connection = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath });
    kube = clientFromConnection(connection);
    await installCrds(kube, [crd] as never);
    await createNamespace(kube, namespace);
    const gadgetsPath = `/apis/${group}/v1/namespaces/${namespace}/gadgets`;
    for (const [name, color, size] of [["a", "red", "small"], ["b", "blue", "small"], ["c", "red", "large"], ["d", "blue", "large"]] as const) {
      await kube.requestJson({ method: "POST", path: gadgetsPath, body: { apiVersion: `${group}/v1`, kind: "Gadget", metadata: { name }, spec: { color, size, shape: "round" } } });
    }
    await waitForSettledApi(cluster);
    dir = await makeTempDir("selectable-fields-");
    ({ warnings } = await generate({ connection, out: path.join(dir, "gen"), groups: [group] }));
  }, 180_000);

  afterAll(async () => {
    if (kube) await uninstallCrds(kube, [crd] as never);
    await kube?.close();
  });

  it(modern ? "types the listed fields into the descriptor, and reading the CRDs warned of nothing" : "reads the CRDs (1.20 has no selectableFields) and leaves the descriptor as before", async () => {
    const module = await readFile(path.join(dir, "gen", group, "v1.ts"), "utf8");
    const descriptor = module.split("\n").find((line) => line.startsWith("export const gadgets = "));
    expect(descriptor).toBe(modern ? 'export const gadgets = defineResource<Gadget, {}, "spec.color" | "spec.size">()({' : "export const gadgets = defineResource<Gadget>()({");
    expect(warnings.filter((warning) => warning.includes("CustomResourceDefinition"))).toEqual([]);
    // `kubetyped snapshot` records the CRD list; generating from the snapshot gives the same bytes.
    const recorded = path.join(dir, "snapshot");
    await snapshot({ connection, out: recorded, groups: [group] });
    await generate({ from: recorded, out: path.join(dir, "replayed"), groups: [group] });
    expect(await readFile(path.join(dir, "replayed", group, "v1.ts"), "utf8")).toBe(module);
    await rm(path.join(dir, "replayed"), { recursive: true });
  }, 60_000);

  it(modern ? "a path the CRD does not list is a compile error naming those it does" : "any path compiles (the server's own check is the only one)", async () => {
    await writeFile(path.join(dir, "mistake.ts"), MISTAKE.replace("GROUP", group));
    const reported = await typecheckFolder(dir);
    await rm(path.join(dir, "mistake.ts"));
    if (!modern) return expect(reported).toBe("");
    const errors = reported.split("\n").filter((line) => / error TS\d+:/.test(line));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^mistake\.ts\(5,/);
    expect(errors[0]).toContain(`Type 'FieldSelector<"spec.shape">' is not assignable to type 'FieldSelector<"metadata.name" | "metadata.namespace" | "spec.color" | "spec.size"> | undefined'`);
  }, 120_000);

  it("the server filters list, watch and deletecollection by the selectable fields (1.20: refuses them)", async () => {
    await writeFile(path.join(dir, "program.ts"), PROGRAM.replace("GROUP", group));
    expect(await typecheckFolder(dir)).toBe("");
    const { run } = (await import(path.join(dir, "program.ts"))) as { run: (kube: KubeClient, namespace: string) => Promise<Record<string, string[]>> };
    if (!modern) {
      const refused = await run(kube, namespace).catch((error: Error & { code?: number }) => error);
      console.log(`v1.20.2 on a field selector of spec.color: ${String(refused)}`);
      expect(refused).toMatchObject({ code: 400, message: expect.stringContaining("spec.color") });
      return;
    }
    expect(await run(kube, namespace)).toEqual({ red: ["a", "c"], notSmall: ["c", "d"], watched: ["c"], left: ["a", "c"] });
  }, 120_000);
});
