import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { KubeClient, type PartialObjectMetadata } from "../../runtime/index.js";
import { createInformer, dropManagedFields, type Informer } from "../../runtime/entries/controller.js";
import { createTransport, defineResource, loadKubeconfig, type RequestTransport } from "../../runtime/entries/plumbing.js";
import { installCrds, widgetCrd } from "../../local-cluster/crds.js";
import { clients, createNamespace, runBounded } from "../support/cluster-ops.js";
import { describeWithCluster } from "../support/cluster.js";
import { checkNoLeaksAfterEach } from "../support/leak-check.js";
import { configmaps } from "../types/fixtures.js";

const widgets = defineResource<{ metadata?: { name?: string; namespace?: string }; spec?: { size: string } }>()({
  group: "demo.kubetyped.dev",
  version: "v1alpha1",
  plural: "widgets",
  kind: "Widget",
  namespaced: true,
  verbs: ["create", "get", "list", "watch"],
});

const until = async (check: () => boolean, what: string, withinMs = 20_000) => {
  const deadline = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describeWithCluster("lean informers against kube-apiserver: metadata-only reads and transforms", (cluster) => {
  checkNoLeaksAfterEach();

  it("kube.metadata(): get, list, listAll and watch answer PartialObjectMetadata, converted by the server", { timeout: 60_000 }, async () => {
    const namespace = `lean-${randomBytes(4).toString("hex")}`;
    // Records what the server says it sent, so the test sees the server's conversion, not the client's trimming.
    const transport = createTransport(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }));
    const answered: string[] = [];
    const recording: RequestTransport = {
      server: transport.server,
      close: () => transport.close(),
      send: async (request) => {
        const response = await transport.send(request);
        if (request.method !== "GET") return response;
        const { body } = response;
        const record = (text: string) => void answered.push(`${request.path.includes("watch=true") ? "watch" : "read"} ${/"kind":"(\w+)"/.exec(text)?.[1]}`);
        const decoder = new TextDecoder();
        const recorded = {
          text: async () => {
            const text = await body.text();
            record(text);
            return text;
          },
          async *[Symbol.asyncIterator]() {
            for await (const chunk of body) {
              record(decoder.decode(chunk));
              yield chunk;
            }
          },
        };
        return { ...response, body: recorded };
      },
    };
    const kube = new KubeClient(recording, { namespace });
    const close = () => kube.close();
    try {
      await createNamespace(kube, namespace);
      const cms = kube.resource(configmaps);
      await cms.create({ metadata: { name: "big", labels: { app: "lean" } }, data: { payload: "x".repeat(10_000) } });
      const meta = kube.metadata(configmaps);

      const one = await meta.get("big");
      expect(one).toMatchObject({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { name: "big", namespace, labels: { app: "lean" } } });
      expect(one).not.toHaveProperty("data");
      expect(one.metadata.managedFields?.length).toBeGreaterThan(0); // metadata is whole: only spec/data/status are gone

      const page = await meta.list({ labelSelector: "app=lean" });
      expect(page.kind).toBe("PartialObjectMetadataList");
      expect(page.items.map((item) => [item.kind, item.metadata.name, "data" in item])).toEqual([["PartialObjectMetadata", "big", false]]);
      const all: PartialObjectMetadata[] = [];
      for await (const item of meta.listAll({ limit: 1 })) all.push(item);
      expect(all.map((item) => item.metadata.name)).toEqual(["big"]);

      const abort = new AbortController();
      const events: Array<[string, string | undefined, boolean]> = [];
      const watching = (async () => {
        for await (const event of meta.watch({ resourceVersion: page.metadata.resourceVersion, signal: abort.signal })) {
          if (event.type === "BOOKMARK") continue;
          events.push([event.type, event.object.metadata.name, "data" in event.object]);
          if (event.type === "DELETED") abort.abort();
        }
      })();
      await cms.patch("big", { data: { payload: "y" } });
      await cms.delete("big");
      await watching;
      expect(events).toEqual([
        ["MODIFIED", "big", false],
        ["DELETED", "big", false],
      ]);
      // What the server itself sent (first kind in each answer): it converted, the client had nothing to trim.
      expect(answered).toEqual(["read PartialObjectMetadata", "read PartialObjectMetadataList", "read PartialObjectMetadataList", "watch PartialObjectMetadata", "watch PartialObjectMetadata"]);
    } finally {
      await close();
    }
  });

  it("an informer over kube.metadata() holds metadata only and follows changes; one over a CRD works the same", { timeout: 60_000 }, async () => {
    const namespace = `lean-${randomBytes(4).toString("hex")}`;
    const { direct: kube, close } = await clients(cluster, undefined, namespace);
    let cmInformer: Informer<PartialObjectMetadata> | undefined;
    let widgetInformer: Informer<PartialObjectMetadata> | undefined;
    try {
      await createNamespace(kube, namespace);
      await installCrds(kube, [widgetCrd]);
      const cms = kube.resource(configmaps);
      await runBounded(30, 8, (i) => cms.create({ metadata: { name: `cm-${i}` }, data: { payload: "p".repeat(1000) } }).then(() => {}));
      await kube.resource(widgets).create({ metadata: { name: "w" }, spec: { size: "small" } });

      cmInformer = createInformer(kube.metadata(configmaps), { pageSize: 7 });
      widgetInformer = createInformer(kube.metadata(widgets));
      await Promise.all([cmInformer.synced, widgetInformer.synced]);
      expect(cmInformer.list()).toHaveLength(30);
      expect(cmInformer.list().every((item) => item.kind === "PartialObjectMetadata" && !("data" in item))).toBe(true);
      expect(widgetInformer.get("w")).toMatchObject({ kind: "PartialObjectMetadata", metadata: { name: "w" } });
      expect(widgetInformer.get("w")).not.toHaveProperty("spec");

      await cms.patch("cm-3", { metadata: { labels: { touched: "yes" } } });
      await until(() => cmInformer!.get("cm-3")?.metadata.labels?.touched === "yes", "the label on cm-3");
    } finally {
      await cmInformer?.stop();
      await widgetInformer?.stop();
      await close();
    }
  });

  it("transform: dropManagedFields keeps every object but not its managedFields, listed or watched", { timeout: 60_000 }, async () => {
    const namespace = `lean-${randomBytes(4).toString("hex")}`;
    const { direct: kube, close } = await clients(cluster, undefined, namespace);
    let full: Informer<{ metadata?: { name?: string; managedFields?: unknown[] }; data?: Record<string, string> }> | undefined;
    let lean: typeof full;
    try {
      await createNamespace(kube, namespace);
      const cms = kube.resource(configmaps);
      await cms.create({ metadata: { name: "a" }, data: { v: "1" } });
      full = createInformer(cms);
      lean = createInformer(cms, { transform: dropManagedFields });
      await Promise.all([full.synced, lean.synced]);
      expect(full.get("a")?.metadata?.managedFields?.length).toBeGreaterThan(0);
      expect(lean.get("a")?.metadata).not.toHaveProperty("managedFields");
      expect(lean.get("a")?.data).toEqual({ v: "1" });

      await cms.create({ metadata: { name: "b" }, data: { v: "2" } });
      await until(() => lean!.get("b") !== undefined && full!.get("b") !== undefined, "b in both informers");
      expect(lean.get("b")?.metadata).not.toHaveProperty("managedFields");
      expect(full.get("b")?.metadata?.managedFields?.length).toBeGreaterThan(0);
    } finally {
      await full?.stop();
      await lean?.stop();
      await close();
    }
  });
});
