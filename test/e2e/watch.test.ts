import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { isGone, StatusError, type WatchEvent } from "../../runtime/index.js";
import { defineResource } from "../../runtime/entries/plumbing.js";
import { describeWithCluster } from "../support/cluster.js";
import { checkNoLeaksAfterEach } from "../support/leak-check.js";
import { startTcpRelay, targetOf } from "../support/tcp-relay.js";
import { configmaps, type ConfigMap } from "../types/fixtures.js";
import { clients, compactEtcd, createNamespace, runBounded } from "../support/cluster-ops.js";

interface CoreEvent {
  apiVersion?: "v1";
  kind?: "Event";
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  involvedObject: { kind: string; name: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
}
// core/v1 events: kube-apiserver keeps no watch cache for them, so a watch reads etcd directly.
const events = defineResource<CoreEvent>()({
  group: "",
  version: "v1",
  plural: "events",
  kind: "Event",
  namespaced: true,
  verbs: ["create", "list", "watch", "deletecollection"],
});

const OBJECTS = 5_000;
const CONCURRENCY = 16;
const CUT_EVERY_EVENTS = 50;



async function until(condition: () => boolean, withinMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(condition(), describe()).toBe(true);
}

const versionOf = (event: WatchEvent<unknown>) => BigInt((event.object as { metadata: { resourceVersion: string } }).metadata.resourceVersion);

describeWithCluster("resuming watch against kube-apiserver", (cluster) => {
  checkNoLeaksAfterEach();

  it(`sees ${OBJECTS} ConfigMaps created, updated and deleted exactly once and in order while the relay cuts it every ${CUT_EVERY_EVENTS} events`, { timeout: 170_000 }, async () => {
    const namespace = `watch-e2e-${randomBytes(4).toString("hex")}`;
    const relay = await startTcpRelay(targetOf(cluster.server));
    const { direct, relayed, close } = await clients(cluster, relay, namespace);
    const controller = new AbortController();
    const guard = AbortSignal.any([controller.signal, AbortSignal.timeout(150_000)]);
    let nudger: NodeJS.Timeout | undefined;
    try {
      await createNamespace(direct, namespace);
      await createNamespace(direct, `${namespace}-side`);
      const cms = direct.resource(configmaps);
      const start = (await cms.list({ limit: 1 })).metadata.resourceVersion!;

      const seen = new Map<string, string[]>();
      const versions = new Map<string, bigint[]>();
      let changes = 0;
      let deletions = 0;
      let bookmarks = 0;
      let outOfOrder = 0;
      let last = BigInt(start);
      let cutsByTest = 0;
      const started = Date.now();
      // Short connections: the server ends each after 4 s (the watch resumes) and sends a bookmark 2 s before,
      // if a ConfigMap changed anywhere since the connection started (kube-apiserver 1.20's rule).
      const watching = (async () => {
        for await (const event of relayed.resource(configmaps).watch({ resourceVersion: start, timeoutSeconds: 4, signal: guard })) {
          if (event.type === "BOOKMARK") {
            bookmarks++;
            expect(versionOf(event)).toBeGreaterThanOrEqual(last);
          } else {
            const name = (event.object as ConfigMap).metadata!.name!;
            const version = versionOf(event);
            if (version <= last) outOfOrder++;
            last = version;
            seen.set(name, [...(seen.get(name) ?? []), event.type]);
            versions.set(name, [...(versions.get(name) ?? []), version]);
            changes++;
            if (event.type === "DELETED") deletions++;
            if (changes % CUT_EVERY_EVENTS === 0) cutsByTest += relay.cutAll();
          }
          // Done when every object is gone and at least one bookmark came after that.
          if (deletions === OBJECTS && bookmarks > 0) break;
        }
      })();

      await runBounded(OBJECTS, CONCURRENCY, async (index) => {
        const name = `cm-${index}`;
        await cms.create({ metadata: { name }, data: { step: "created" } });
        await cms.patch(name, { data: { step: "updated" } });
        await cms.delete(name);
      });
      const writtenMs = Date.now() - started;
      // Changes elsewhere (a side namespace, not watched) advance the cache's version, which is what lets
      // the server send this namespace's idle watch a bookmark.
      let nudges = 0;
      const side = direct.resource(configmaps);
      await side.create({ metadata: { name: "nudge", namespace: `${namespace}-side` } });
      nudger = setInterval(() => void side.patch("nudge", { data: { n: String(++nudges) } }, { namespace: `${namespace}-side` }).catch(() => {}), 500);
      await watching;
      clearInterval(nudger);
      const totalMs = Date.now() - started;
      console.info(
        `watch e2e: ${OBJECTS} objects, ${changes} changes written in ${writtenMs} ms, all seen after ${totalMs} ms; ` +
          `${relay.connections} connections, ${cutsByTest} cut by the test, ${bookmarks} bookmarks`,
      );

      expect(changes).toBe(3 * OBJECTS);
      expect(seen.size).toBe(OBJECTS);
      const wrong = [...seen].filter(([, types]) => types.join() !== "ADDED,MODIFIED,DELETED");
      expect(wrong.slice(0, 5)).toEqual([]);
      for (const [, list] of versions) expect(list[0]! < list[1]! && list[1]! < list[2]!).toBe(true);
      expect(outOfOrder).toBe(0);
      expect(bookmarks).toBeGreaterThan(0);
      // A cut can find no open connection (the previous one is still being replaced), so allow some slack.
      expect(cutsByTest).toBeGreaterThanOrEqual(Math.floor((3 * OBJECTS) / CUT_EVERY_EVENTS / 2));
      expect(relay.connections).toBeGreaterThan(cutsByTest);
    } finally {
      clearInterval(nudger);
      controller.abort();
      await close();
      await relay.close();
    }
  });

  it("resumes after the server ends the stream (timeoutSeconds), gets bookmarks, and repeats no event", { timeout: 60_000 }, async () => {
    const namespace = `watch-e2e-${randomBytes(4).toString("hex")}`;
    const relay = await startTcpRelay(targetOf(cluster.server));
    const { direct, relayed, close } = await clients(cluster, relay, namespace);
    const controller = new AbortController();
    let nudger: NodeJS.Timeout | undefined;
    try {
      await createNamespace(direct, namespace);
      const cms = direct.resource(configmaps);
      const start = (await cms.list({ limit: 1 })).metadata.resourceVersion!;
      const log: string[] = [];
      const guard = AbortSignal.any([controller.signal, AbortSignal.timeout(45_000)]);
      const watching = (async () => {
        for await (const event of relayed.resource(configmaps).watch({ resourceVersion: start, timeoutSeconds: 3, signal: guard })) {
          log.push(event.type === "BOOKMARK" ? "BOOKMARK" : `${event.type} ${(event.object as ConfigMap).metadata?.name}`);
          if (log.includes("ADDED after")) break;
        }
      })();
      await cms.create({ metadata: { name: "before" } });
      // The bookmark comes 2 s before the server ends the connection at 3 s, if some ConfigMap changed after the
      // last event this watch got: changes in a side namespace (not watched) provide that. Then the watch
      // reconnects by itself.
      await createNamespace(direct, `${namespace}-side`);
      const side = { namespace: `${namespace}-side` };
      await cms.create({ metadata: { name: "nudge" } }, side);
      let nudges = 0;
      nudger = setInterval(() => void cms.patch("nudge", { data: { n: String(++nudges) } }, side).catch(() => {}), 300);
      await until(() => log.includes("BOOKMARK") && relay.connections >= 2, 20_000, () => `log ${JSON.stringify(log)}, ${relay.connections} connections`);
      clearInterval(nudger);
      await cms.create({ metadata: { name: "after" } });
      await watching;
      expect(log.filter((entry) => entry !== "BOOKMARK")).toEqual(["ADDED before", "ADDED after"]);
      expect(log.indexOf("BOOKMARK")).toBeGreaterThan(log.indexOf("ADDED before"));
      expect(relay.cuts).toBe(0);
      expect(relay.connections).toBeGreaterThanOrEqual(2);
    } finally {
      clearInterval(nudger);
      controller.abort();
      await close();
      await relay.close();
    }
  });

  it("surfaces a version etcd has compacted as StatusError (a 410 ERROR event), for the resuming and the plain watch", async () => {
    const namespace = `watch-e2e-${randomBytes(4).toString("hex")}`;
    const { direct, close } = await clients(cluster, undefined, namespace);
    try {
      await createNamespace(direct, namespace);
      const evs = direct.resource(events);
      const involvedObject = { kind: "ConfigMap", name: "x", namespace };
      const first = await evs.create({ metadata: { name: "first" }, involvedObject, reason: "Test", message: "first", type: "Normal" });
      // Two writes after `first`: compacting at the current revision then removes the revision after first's,
      // which is where a watch from first's version starts reading.
      await evs.create({ metadata: { name: "second" }, involvedObject, reason: "Test", message: "second", type: "Normal" });
      await evs.create({ metadata: { name: "third" }, involvedObject, reason: "Test", message: "third", type: "Normal" });
      await compactEtcd(cluster.etcd.endpoint);

      const resumed = await (async () => {
        for await (const _ of evs.watch({ resourceVersion: first.metadata!.resourceVersion! })) void _;
      })().catch((error: unknown) => error);
      expect(resumed).toSatisfy(isGone);
      expect(isGone(resumed)).toBe(true);
      expect((resumed as StatusError).code).toBe(410);
      expect((resumed as StatusError).message).toMatch(/too old/);

      const plain: Array<WatchEvent<CoreEvent>> = [];
      for await (const event of evs.watch({ resourceVersion: first.metadata!.resourceVersion!, resume: false })) plain.push(event);
      expect(plain).toHaveLength(1);
      expect(plain[0]).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
    } finally {
      await close();
    }
  });

  it("stops on abort while connected and idle, leaving no socket or timer", async () => {
    const namespace = `watch-e2e-${randomBytes(4).toString("hex")}`;
    const relay = await startTcpRelay(targetOf(cluster.server));
    const { direct, relayed, close } = await clients(cluster, relay, namespace);
    try {
      await createNamespace(direct, namespace);
      const start = (await direct.resource(configmaps).list({ limit: 1 })).metadata.resourceVersion!;
      const controller = new AbortController();
      const seen: string[] = [];
      // Only the watch goes through the relay, so its open connections are the watch's.
      const watching = (async () => {
        for await (const event of relayed.resource(configmaps).watch({ resourceVersion: start, signal: controller.signal })) seen.push(event.type);
      })();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await direct.resource(configmaps).create({ metadata: { name: "one" } });
      for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      await watching;
      expect(seen).toEqual(["ADDED"]);
      for (let i = 0; i < 50 && relay.openConnections > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(relay.openConnections).toBe(0);
    } finally {
      await close();
      await relay.close();
    }
  });
});
