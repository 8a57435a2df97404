import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { createInformer, type Informer } from "../../runtime/entries/controller.js";
import { defineResource } from "../../runtime/entries/plumbing.js";
import { clients, compactEtcd, createNamespace, runBounded } from "../support/cluster-ops.js";
import { describeWithCluster } from "../support/cluster.js";
import { checkNoLeaksAfterEach } from "../support/leak-check.js";
import { startTcpRelay, targetOf } from "../support/tcp-relay.js";
import { configmaps } from "../types/fixtures.js";

interface CoreEvent {
  apiVersion?: "v1";
  kind?: "Event";
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  involvedObject: { kind: string; name: string; namespace?: string };
  reason?: string;
  message?: string;
}
// Not in kube-apiserver's watch cache: a watch from a compacted version gets 410 from etcd.
const events = defineResource<CoreEvent>()({
  group: "",
  version: "v1",
  plural: "events",
  kind: "Event",
  namespaced: true,
  verbs: ["create", "delete", "list", "watch"],
});

type Versioned = { metadata?: { name?: string; resourceVersion?: string } };



const versions = (objects: Iterable<Versioned>) => new Map([...objects].map((object) => [object.metadata!.name!, object.metadata!.resourceVersion!]));

/** What the handlers saw, replayed into a map: it must end equal to the store. */
function mirrorOf<T extends Versioned>(informer: Informer<T>) {
  const mirror = new Map<string, string>();
  const counts = { add: 0, update: 0, delete: 0 };
  informer.on("add", (object) => {
    counts.add++;
    expect(mirror.has(object.metadata!.name!)).toBe(false);
    mirror.set(object.metadata!.name!, object.metadata!.resourceVersion!);
  });
  informer.on("update", (object, old) => {
    counts.update++;
    expect(mirror.get(old.metadata!.name!)).toBe(old.metadata!.resourceVersion);
    mirror.set(object.metadata!.name!, object.metadata!.resourceVersion!);
  });
  informer.on("delete", (object) => {
    counts.delete++;
    expect(mirror.delete(object.metadata!.name!)).toBe(true);
  });
  return { mirror, counts };
}

/** Polls until the informer's store equals a fresh list (names and resourceVersions), or the time is up. */
async function expectStoreToMatchList<T extends Versioned>(informer: Informer<T>, list: () => Promise<Versioned[]>, withinMs = 20_000): Promise<Map<string, string>> {
  const deadline = Date.now() + withinMs;
  let expected = versions(await list());
  while (Date.now() < deadline) {
    const stored = versions(informer.list());
    if (stored.size === expected.size && [...expected].every(([name, version]) => stored.get(name) === version)) return expected;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expected = versions(await list());
  }
  expect(versions(informer.list())).toEqual(expected);
  return expected;
}

describeWithCluster("informer against kube-apiserver", (cluster) => {
  checkNoLeaksAfterEach();

  it("keeps a store equal to a fresh list through a burst of 2,000 changes while the relay drops its connection", { timeout: 120_000 }, async () => {
    const namespace = `informer-e2e-${randomBytes(4).toString("hex")}`;
    const relay = await startTcpRelay(targetOf(cluster.server));
    const { direct, relayed, close } = await clients(cluster, relay, namespace);
    let informer: Informer<Versioned> | undefined;
    let cutter: NodeJS.Timeout | undefined;
    try {
      await createNamespace(direct, namespace);
      const cms = direct.resource(configmaps);
      // Some objects exist before the informer starts: its first list must bring them in as adds.
      await runBounded(100, 16, (index) => cms.create({ metadata: { name: `pre-${index}` }, data: { v: "0" } }).then(() => {}));
      informer = createInformer(relayed.resource(configmaps), { pageSize: 40 });
      const { mirror, counts } = mirrorOf(informer);
      await informer.synced;
      expect(informer.list()).toHaveLength(100);
      expect(counts.add).toBe(100);

      let cuts = 0;
      cutter = setInterval(() => (cuts += relay.cutAll()), 150);
      // 2,000 changes: 800 creates, 800 updates, 400 deletes (every other new object).
      await runBounded(800, 16, async (index) => {
        const name = `burst-${index}`;
        await cms.create({ metadata: { name }, data: { v: "1" } });
        await cms.patch(name, { data: { v: "2" } });
        if (index % 2 === 0) await cms.delete(name);
      });
      clearInterval(cutter);
      cutter = undefined;

      const expected = await expectStoreToMatchList(informer, async () => (await cms.list()).items);
      expect(expected.size).toBe(100 + 400);
      expect(mirror).toEqual(expected);
      expect(counts).toEqual({ add: 100 + 800, update: 800, delete: 400 });
      expect(cuts).toBeGreaterThan(3);
      expect(informer.listCount).toBe(1); // drops resume the watch; nothing expired, so no relist
      expect(informer.get("burst-1")?.metadata?.resourceVersion).toBe(expected.get("burst-1"));
      expect(informer.get("burst-0")).toBeUndefined();
    } finally {
      if (cutter) clearInterval(cutter);
      await informer?.stop();
      await close();
      await relay.close();
    }
  });

  it("relists when its version was compacted away while disconnected, firing deletes, adds and updates for the difference", { timeout: 60_000 }, async () => {
    const namespace = `informer-e2e-${randomBytes(4).toString("hex")}`;
    const relay = await startTcpRelay(targetOf(cluster.server));
    const { direct, relayed, close } = await clients(cluster, relay, namespace);
    let informer: Informer<CoreEvent> | undefined;
    try {
      await createNamespace(direct, namespace);
      const evs = direct.resource(events);
      const event = (name: string, message = name): CoreEvent => ({ metadata: { name }, involvedObject: { kind: "ConfigMap", name: "x", namespace }, reason: "Test", message });
      for (const name of ["stays", "goes", "changes"]) await evs.create(event(name));
      informer = createInformer(relayed.resource(events));
      const { mirror, counts } = mirrorOf(informer);
      await informer.synced;
      expect(counts.add).toBe(3);

      // Cut off the informer, change things behind its back, and compact them out of etcd's history.
      relay.pause();
      relay.cutAll();
      await evs.delete("goes");
      await direct.resource(events).create(event("new"));
      const changed = (await direct.requestJson<CoreEvent>({ method: "GET", path: `/api/v1/namespaces/${namespace}/events/changes` }))!;
      await direct.requestJson({ method: "PUT", path: `/api/v1/namespaces/${namespace}/events/changes`, body: { ...changed, message: "changed" } });
      await compactEtcd(cluster.etcd.endpoint);
      relay.resume();

      const expected = await expectStoreToMatchList(informer, async () => (await evs.list()).items);
      expect([...expected.keys()].sort()).toEqual(["changes", "new", "stays"]);
      expect(informer.listCount).toBe(2);
      expect(mirror).toEqual(expected);
      expect(counts).toEqual({ add: 4, update: 1, delete: 1 });
      expect(informer.get("changes")?.message).toBe("changed");
    } finally {
      relay.resume();
      await informer?.stop();
      await close();
      await relay.close();
    }
  });
});
