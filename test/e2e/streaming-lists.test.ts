import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { KubeClient } from "../../runtime/index.js";
import { createInformer, type Informer } from "../../runtime/entries/controller.js";
import { createTransport, defineResource, loadKubeconfig, type RequestTransport } from "../../runtime/entries/plumbing.js";
import { compactEtcd, createNamespace, runBounded } from "../support/cluster-ops.js";
import { describeWithEachCluster } from "../support/cluster.js";
import { checkNoLeaksAfterEach } from "../support/leak-check.js";
import { startTcpRelay, targetOf } from "../support/tcp-relay.js";

/** Events: the one resource kube-apiserver keeps no watch cache for, so a compacted version is really gone (410). */
interface CoreEvent {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  involvedObject: { kind: string; name: string; namespace?: string };
  reason?: string;
  message?: string;
}
const events = defineResource<CoreEvent>()({ group: "", version: "v1", plural: "events", kind: "Event", namespaced: true, verbs: ["create", "delete", "list", "patch", "watch"] });

const OBJECTS = 40;

/** A transport over `server` that records each request's path and answer status. */
async function recordingTransport(kubeconfig: string, server?: string): Promise<{ transport: RequestTransport; sent: Array<{ path: string; status: number }> }> {
  const connection = await loadKubeconfig({ kubeconfig });
  const inner = createTransport(server ? { ...connection, server } : connection, { warnings: false });
  const sent: Array<{ path: string; status: number }> = [];
  const transport: RequestTransport = {
    server: inner.server,
    close: () => inner.close(),
    send: async (request) => {
      const response = await inner.send(request);
      sent.push({ path: request.path, status: response.statusCode });
      return response;
    },
  };
  return { transport, sent };
}

const versions = (objects: Iterable<CoreEvent>) => new Map([...objects].map((object) => [object.metadata!.name!, object.metadata!.resourceVersion!]));

/** Polls until the informer's store equals a fresh list (names and resourceVersions). */
async function expectStoreToMatchList(informer: Informer<CoreEvent>, list: () => Promise<CoreEvent[]>, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const expected = versions(await list());
    const stored = versions(informer.list());
    if (stored.size === expected.size && [...expected].every(([name, version]) => stored.get(name) === version)) return;
    if (Date.now() > deadline) return void expect(stored).toEqual(expected);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const isStreaming = (path: string) => path.includes("sendInitialEvents=true");
const isPagedList = (path: string) => !path.includes("watch=true") && path.includes("limit=500");

describeWithEachCluster("informer initial sync and relist: streaming list where served, paged list where not", (cluster) => {
  checkNoLeaksAfterEach();
  const streams = !cluster.version.startsWith("v1.20.");

  it(`syncs ${OBJECTS} Events by ${streams ? "a streaming list" : "a paged list after the server refuses streaming (422)"}, follows changes, and relists the same way after 410`, { timeout: 90_000 }, async () => {
    const namespace = `stream-list-${randomBytes(4).toString("hex")}`;
    const relay = await startTcpRelay(targetOf(cluster.server));
    const direct = await recordingTransport(cluster.kubeconfigPath);
    const relayed = await recordingTransport(cluster.kubeconfigPath, `https://127.0.0.1:${relay.port}`);
    const kube = new KubeClient(direct.transport, { namespace });
    const watched = new KubeClient(relayed.transport, { namespace });
    let informer: Informer<CoreEvent> | undefined;
    try {
      await createNamespace(kube, namespace);
      const evs = kube.resource(events);
      const event = (name: string): CoreEvent => ({ metadata: { name }, involvedObject: { kind: "ConfigMap", name: "x", namespace }, reason: "Test", message: name });
      await runBounded(OBJECTS, 8, async (index) => void (await evs.create(event(`ev-${index}`))));
      const listNow = async () => (await evs.list()).items;

      informer = createInformer(watched.resource(events));
      await informer.synced;
      expect(informer.list()).toHaveLength(OBJECTS);
      await expectStoreToMatchList(informer, listNow);
      const first = relayed.sent[0]!;
      if (streams) {
        expect(first).toMatchObject({ status: 200 });
        expect(first.path).toMatch(/allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&watch=true$/);
        expect(relayed.sent.some((request) => isPagedList(request.path))).toBe(false);
      } else {
        expect(first).toMatchObject({ status: 422 });
        expect(isStreaming(first.path)).toBe(true);
        expect(isPagedList(relayed.sent[1]!.path)).toBe(true);
      }

      // Changes after the sync arrive as watch events.
      await evs.delete("ev-0");
      await evs.patch("ev-1", { message: "changed" }, { type: "merge" });
      await evs.create(event("ev-new"));
      await expectStoreToMatchList(informer, listNow);

      // Cut the informer off, change things behind its back, compact them out of etcd: its version is gone (410).
      const sentBefore = relayed.sent.length;
      const listsBefore = informer.listCount;
      relay.pause();
      relay.cutAll();
      await evs.delete("ev-2");
      await evs.create(event("ev-later"));
      await compactEtcd(cluster.etcd.endpoint);
      relay.resume();
      await expectStoreToMatchList(informer, listNow, 40_000);
      expect(informer.listCount).toBeGreaterThan(listsBefore);
      const relists = relayed.sent.slice(sentBefore).filter((request) => isStreaming(request.path) || isPagedList(request.path));
      expect(relists.length).toBeGreaterThan(0);
      // Streaming where served; where refused once, the informer stays paged and does not ask again.
      expect(relists.every((request) => (streams ? isStreaming(request.path) : isPagedList(request.path)))).toBe(true);
      expect(informer.list().map((object) => object.metadata!.name).sort()).toEqual((await listNow()).map((object) => object.metadata!.name).sort());
    } finally {
      await informer?.stop();
      await kube.close();
      await watched.close();
      await relay.close();
    }
  });
});
