// Generating right after a CRD is created: the schema comes seconds after Established (1.20: /openapi/v2; later: the /openapi/v3 index), and the client must still be typed.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../generator/cli/main.js";
import { uninstallCrds } from "../../local-cluster/crds.js";
import { clientFromConnection, type KubeClient } from "../../runtime/index.js";
import { defineResource, loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { captureIo } from "../support/cli-io.js";
import { namespacedCrd, waitForSettledApi } from "../support/cluster-ops.js";
import { describeWithEachCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";

interface Crd {
  metadata: { name: string };
  status?: { conditions?: Array<{ type: string; status: string }> };
}
const customResourceDefinitions = defineResource<Crd>()({
  group: "apiextensions.k8s.io",
  version: "v1",
  plural: "customresourcedefinitions",
  kind: "CustomResourceDefinition",
  namespaced: false,
  verbs: ["create", "get", "delete"],
});

describeWithEachCluster("kubetyped generate right after a CRD is created", (cluster) => {
  let kube: KubeClient;
  const crds: ReturnType<typeof namespacedCrd>[] = [];

  beforeAll(async () => {
    await waitForSettledApi(cluster);
    kube = clientFromConnection(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }));
  });
  afterAll(async () => {
    if (kube) await uninstallCrds(kube, crds as never);
    await kube?.close();
  });

  it("waits for the schema, says so, and generates a typed client (exit 0)", async () => {
    const group = `fresh${randomBytes(4).toString("hex")}.kubetyped.test`;
    const crd = namespacedCrd(group, { plural: "gizmos", kind: "Gizmo" }, {
      type: "object",
      properties: { spec: { type: "object", properties: { size: { type: "integer" }, colour: { type: "string" } } } },
    });
    crds.push(crd);
    await kube.resource(customResourceDefinitions).create(crd as never);
    // Established, and nothing more: the moment a script running `kubectl wait --for=condition=Established` generates.
    for (const deadline = Date.now() + 30_000; ; ) {
      const current = await kube.resource(customResourceDefinitions).get(crd.metadata.name);
      if (current.status?.conditions?.some((condition) => condition.type === "Established" && condition.status === "True")) break;
      if (Date.now() > deadline) throw new Error(`${crd.metadata.name} was not Established within 30s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const out = path.join(await makeTempDir("fresh-crd-"), "generated");
    const io = captureIo();
    expect(await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--groups", group, "--out", out, "--no-cache"], io), io.err).toBe(0);
    const module = await readFile(path.join(out, group, "v1.ts"), "utf8");
    expect(module).toMatch(/export interface Gizmo \{/);
    expect(module).toMatch(/size\?: number;/);
    expect(module).not.toContain("[key: string]: unknown");
    expect(io.err).not.toContain("no schema declares");
    console.log(`fresh CRD: ${io.err.split("\n").filter((line) => line.includes("waiting for the OpenAPI schema")).length} wait line(s) before the schema was published`);
  }, 120_000);
});
