// Generating, snapshotting and checking right after a CRD is created: the schema comes seconds after Established (1.20: /openapi/v2; later: the /openapi/v3 index), and the kind must still be typed.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../generator/cli/main.js";
import { uninstallCrds } from "../../local-cluster/crds.js";
import { clientFromConnection, isNotFound, type KubeClient } from "../../runtime/index.js";
import { defineResource, loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { writeCheckProject } from "../support/check-project.js";
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

/** A namespaced CRD of a group of its own, holding Gizmos with a typed `spec.size`. */
function gizmoCrd(): ReturnType<typeof namespacedCrd> {
  const group = `fresh${randomBytes(4).toString("hex")}.kubetyped.test`;
  return namespacedCrd(group, { plural: "gizmos", kind: "Gizmo" }, {
    type: "object",
    properties: { spec: { type: "object", properties: { size: { type: "integer" }, colour: { type: "string" } } } },
  });
}

/** How many times a command said it waited for a schema (printed, not asserted: the server decides). */
function waitLines(err: string): number {
  return err.split("\n").filter((line) => line.includes("waiting for the OpenAPI schema")).length;
}

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

  /** Creates the CRD and returns once it is Established, and nothing more: the moment a script running `kubectl wait --for=condition=Established` goes on. */
  async function createEstablished(crd: ReturnType<typeof namespacedCrd>): Promise<void> {
    if (!crds.includes(crd)) crds.push(crd);
    await kube.resource(customResourceDefinitions).create(crd as never);
    for (const deadline = Date.now() + 30_000; ; ) {
      const current = await kube.resource(customResourceDefinitions).get(crd.metadata.name);
      if (current.status?.conditions?.some((condition) => condition.type === "Established" && condition.status === "True")) return;
      if (Date.now() > deadline) throw new Error(`${crd.metadata.name} was not Established within 30s`);
      await delay(100);
    }
  }

  it("generate waits for the schema, says so, and generates a typed client (exit 0)", async () => {
    const crd = gizmoCrd();
    await createEstablished(crd);
    const out = path.join(await makeTempDir("fresh-crd-"), "generated");
    const io = captureIo();
    expect(await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--groups", crd.spec.group, "--out", out, "--no-cache"], io), io.err).toBe(0);
    const module = await readFile(path.join(out, crd.spec.group, "v1.ts"), "utf8");
    expect(module).toMatch(/export interface Gizmo \{/);
    expect(module).toMatch(/size\?: number;/);
    expect(module).not.toContain("[key: string]: unknown");
    expect(io.err).not.toContain("no schema declares");
    console.log(`fresh CRD, generate: ${waitLines(io.err)} wait line(s) before the schema was published`);
  }, 120_000);

  it("snapshot waits for the schema too: the recording generates the kind typed", async () => {
    const crd = gizmoCrd();
    await createEstablished(crd);
    const root = await makeTempDir("fresh-crd-");
    const io = captureIo();
    expect(await main(["snapshot", "--kubeconfig", cluster.kubeconfigPath, "--groups", crd.spec.group, "--out", path.join(root, "snapshot")], io), io.err).toBe(0);
    // A recording without the schema is refused at once by generate --from ("the recording has no schema").
    const replay = captureIo();
    expect(await main(["generate", "--from", path.join(root, "snapshot"), "--groups", crd.spec.group, "--out", path.join(root, "out")], replay), replay.err).toBe(0);
    const module = await readFile(path.join(root, "out", crd.spec.group, "v1.ts"), "utf8");
    expect(module).toMatch(/export interface Gizmo \{/);
    expect(module).toMatch(/size\?: number;/);
    console.log(`fresh CRD, snapshot: ${waitLines(io.err)} wait line(s) before the schema was published`);
  }, 120_000);

  // On one server: check type-checks the project as it is before it reads the cluster, which outlasts the
  // publication delay on both (no wait line seen); untyped.test.ts holds the wait itself with a server publishing
  // late. Here the oldest, whose delay is the longest, and the end-to-end outcome.
  if (!cluster.version.startsWith("v1.20.")) return;
  it("check --context waits for the schema too: a project using the kind stays compatible", async () => {
    const crd = gizmoCrd();
    await createEstablished(crd);
    const program = `import type { Gizmo } from "./k8s/${crd.spec.group}/v1.js";\nexport const size = (gizmo: Gizmo): number | undefined => gizmo.spec?.size;\n`;
    const { tsconfig, out } = await writeCheckProject(await makeTempDir("fresh-crd-check-"), program);
    // generate waits for the schema (above); then the CRD is made afresh, and checked against the moment it is Established.
    expect(await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--groups", crd.spec.group, "--out", out, "--no-cache", "--quiet"], captureIo())).toBe(0);
    await kube.resource(customResourceDefinitions).delete(crd.metadata.name);
    for (const deadline = Date.now() + 30_000; await kube.resource(customResourceDefinitions).get(crd.metadata.name).then(() => true, (error: unknown) => !isNotFound(error)); ) {
      if (Date.now() > deadline) throw new Error(`${crd.metadata.name} was not deleted within 30s`);
      await delay(100);
    }
    await createEstablished(crd);
    const io = captureIo();
    expect(await main(["check", "--kubeconfig", cluster.kubeconfigPath, "--out", out, "--project", tsconfig, "--no-cache"], io), `${io.out}\n${io.err}`).toBe(0);
    expect(io.out).toMatch(/: compatible/);
    console.log(`fresh CRD, check: ${waitLines(io.err)} wait line(s) before the schema was published`);
  }, 180_000);
});
