import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { installCrds, uninstallCrds } from "../../local-cluster/crds.js";
import { clientFromConnection, isNotFound, StatusError, type KubeClient } from "../../runtime/index.js";
import { defineResource, loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { createNamespace, namespacedCrd } from "../support/cluster-ops.js";
import { describeWithCluster } from "../support/cluster.js";
import { configmaps, type ObjectMeta } from "../types/fixtures.js";

// test/e2e/client.test.ts covers each patch type on a ConfigMap, a patch dry run and the apply conflict;
// this file adds what only other kinds show: list merging by key, custom resources, apply dry runs.

interface Deployment {
  apiVersion?: "apps/v1";
  kind?: "Deployment";
  metadata?: ObjectMeta;
  spec?: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata?: ObjectMeta; spec?: { containers: Array<{ name: string; image: string; args?: string[] }> } };
  };
}
const deployments = defineResource<Deployment>()({
  group: "apps",
  version: "v1",
  plural: "deployments",
  kind: "Deployment",
  namespaced: true,
  verbs: ["create", "get", "patch", "delete"],
});

const group = `e2e${randomBytes(3).toString("hex")}.kubetyped.dev`;
interface Widget {
  apiVersion?: string;
  kind?: "Widget";
  metadata?: ObjectMeta;
  spec?: { size?: number; tags?: string[] };
}
const widgets = defineResource<Widget>()({
  group,
  version: "v1",
  plural: "widgets",
  kind: "Widget",
  namespaced: true,
  verbs: ["create", "get", "patch"],
});
const widgetCrd = namespacedCrd(
  group,
  { plural: "widgets", kind: "Widget" },
  { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" }, tags: { type: "array", items: { type: "string" } } } } } },
);

const template = (containers: Array<{ name: string; image: string }>) => ({
  replicas: 1,
  selector: { matchLabels: { app: "web" } },
  template: { metadata: { labels: { app: "web" } }, spec: { containers } },
});

describeWithCluster("patch kinds and server-side apply against kube-apiserver", (cluster) => {
  const namespace = `patch-e2e-${randomBytes(4).toString("hex")}`;
  let kube: KubeClient;

  beforeAll(async () => {
    kube = clientFromConnection(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }), { namespace });
    await createNamespace(kube, namespace);
  });
  afterAll(async () => {
    // Forgotten by /openapi/v2 too before the next file runs: a generation meanwhile would see the document change.
    if (kube) await uninstallCrds(kube, [widgetCrd]);
    await kube?.close();
  });

  it("strategic merge merges containers by name where a merge patch replaces the list", async () => {
    const client = kube.resource(deployments);
    await client.create({ metadata: { name: "strategic" }, spec: template([{ name: "a", image: "img:1" }, { name: "b", image: "img:1" }]) });
    const strategic = await client.patch("strategic", { spec: { template: { spec: { containers: [{ name: "b", image: "img:2" }] } } } } as never, { type: "strategic" });
    expect(strategic.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(["a=img:1", "b=img:2"]);
    const merged = await client.patch("strategic", { spec: { template: { spec: { containers: [{ name: "b", image: "img:3" }] } } } } as never, { type: "merge" });
    expect(merged.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(["b=img:3"]);
  });

  it("applies to create, and an apply dry run leaves the object unchanged", async () => {
    const cms = kube.resource(configmaps);
    const created = await cms.apply({ metadata: { name: "applied" }, data: { a: "1" } }, { fieldManager: "e2e-owner" });
    expect(created.data).toEqual({ a: "1" });
    const dryRun = await cms.apply({ metadata: { name: "applied" }, data: { a: "2", b: "3" } }, { fieldManager: "e2e-owner", dryRun: "All" });
    expect(dryRun.data).toEqual({ a: "2", b: "3" });
    const after = await cms.get("applied");
    expect(after.data).toEqual({ a: "1" });
    expect(after.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    // Dry-run apply of a conflicting field still reports the conflict, without changing anything.
    const conflict = await cms.apply({ metadata: { name: "applied" }, data: { a: "9" } }, { fieldManager: "someone-else", dryRun: "All" }).catch((error: unknown) => error);
    expect(conflict).toMatchObject({ code: 409, reason: "Conflict" });
    expect((conflict as StatusError).message).toContain("e2e-owner");
  });

  it("a dry-run delete leaves the object in place", async () => {
    const cms = kube.resource(configmaps);
    await cms.create({ metadata: { name: "kept" } });
    await cms.delete("kept", { dryRun: "All" });
    expect((await cms.get("kept")).metadata?.name).toBe("kept");
    await cms.delete("kept");
    await expect(cms.get("kept")).rejects.toSatisfy(isNotFound);
  });

  it("on a custom resource, merge patch and apply work and strategic merge fails with an error that says what to use", { timeout: 60_000 }, async () => {
    // Published in /openapi/v2 before its objects are made: deleting it earlier lets the server publish it afterwards.
    await installCrds(kube, [widgetCrd]);
    const client = kube.resource(widgets);
    await client.create({ metadata: { name: "w" }, spec: { size: 1, tags: ["x"] } });
    expect((await client.patch("w", { spec: { size: 2 } }, { type: "merge" })).spec).toEqual({ size: 2, tags: ["x"] });
    expect((await client.apply({ metadata: { name: "w" }, spec: { tags: ["y"] } }, { fieldManager: "e2e", force: true })).spec?.tags).toEqual(["y"]);

    const refused = await client.patch("w", { spec: { size: 3 } }, { type: "strategic" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StatusError);
    expect((refused as StatusError).code).toBe(415);
    expect((refused as StatusError).message).toMatch(/strategic merge patch is not supported for Widget \(widgets\..*\/v1\): custom resources do not support it; use type "merge"/);
    expect((refused as StatusError).message).toContain("application/merge-patch+json"); // the server's own words follow
    expect((await client.get("w")).spec?.size).toBe(2);
  });
});
