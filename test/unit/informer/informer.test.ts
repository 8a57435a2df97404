import { describe, expect, it } from "vitest";
import { KubeClient, type ResourceList, type WatchEvent } from "../../../runtime/index.js";
import { createInformer, type InformerSource } from "../../../runtime/entries/controller.js";
import { defineResource } from "../../../runtime/entries/plumbing.js";
import { statusErrorFromStatus } from "../../../runtime/rest/status-errors.js";
import { activeResourceCounts, expectNoLeaksSince } from "../../support/leak-check.js";
import { configmaps, type ConfigMap } from "../../types/fixtures.js";
import { FakeTransport } from "../client/fake-transport.js";

type Cm = { apiVersion?: string; kind?: string; metadata: { name: string; namespace?: string; resourceVersion: string }; data?: Record<string, string> };
const cm = (name: string, resourceVersion: string, data?: Record<string, string>): Cm => ({ metadata: { name, namespace: "ns", resourceVersion }, ...(data && { data }) });
const gone = () => statusErrorFromStatus({ kind: "Status", code: 410, reason: "Expired", message: "too old resource version" }, { method: "WATCH", url: "u" });

/**
 * A source whose lists answer the given snapshots in turn (paged by `limit`) and whose watches replay
 * scripted events, then stay open until aborted (or end with a scripted error).
 */
function fakeSource(lists: Array<{ version: string; items: Cm[] }>, watches: Array<{ events: Array<WatchEvent<Cm>>; then?: Error }>) {
  const calls: string[] = [];
  const source: InformerSource<Cm> = {
    descriptor: configmaps,
    async list(options) {
      const snapshot = lists[0]!;
      const offset = Number(options?.continue ?? 0);
      const limit = options?.limit ?? 500;
      const items = snapshot.items.slice(offset, offset + limit);
      const next = offset + limit < snapshot.items.length ? String(offset + limit) : undefined;
      calls.push(`list ${options?.continue ?? "-"} limit=${limit}`);
      if (next === undefined && lists.length > 1) lists.shift();
      return { apiVersion: "v1", kind: "ConfigMapList", metadata: { resourceVersion: snapshot.version, ...(next && { continue: next }) }, items } satisfies ResourceList<Cm>;
    },
    watch(options) {
      calls.push(`watch ${options?.resourceVersion}`);
      const script = watches.shift() ?? { events: [] };
      const signal = options!.signal!;
      return (async function* () {
        for (const event of script.events) yield event;
        if (script.then) throw script.then;
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      })();
    },
  };
  return { source, calls };
}

function recorder(informer: ReturnType<typeof createInformer<Cm>>) {
  const log: string[] = [];
  informer.on("add", (object) => log.push(`add ${object.metadata.name}@${object.metadata.resourceVersion}`));
  informer.on("update", (object, old) => log.push(`update ${object.metadata.name}@${old.metadata.resourceVersion}->${object.metadata.resourceVersion}`));
  informer.on("delete", (object) => log.push(`delete ${object.metadata.name}`));
  return log;
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe("createInformer", () => {
  it("lists page by page, syncs, then applies watch events from the list's version", async () => {
    const { source, calls } = fakeSource(
      [{ version: "10", items: [cm("a", "1"), cm("b", "2"), cm("c", "3")] }],
      [{ events: [{ type: "MODIFIED", object: cm("a", "11") }, { type: "DELETED", object: cm("b", "12") }, { type: "ADDED", object: cm("d", "13") }, { type: "BOOKMARK", object: { metadata: { name: "", resourceVersion: "20" } } as Cm }] }],
    );
    const informer = createInformer(source, { pageSize: 2 });
    const log = recorder(informer);
    await informer.synced;
    expect(informer.hasSynced).toBe(true);
    await until(() => informer.resourceVersion === "20");
    expect(log).toEqual(["add a@1", "add b@2", "add c@3", "update a@1->11", "delete b", "add d@13"]);
    expect(calls).toEqual(["list - limit=2", "list 2 limit=2", "watch 10"]);
    expect(informer.list().map((object) => object.metadata.name).sort()).toEqual(["a", "c", "d"]);
    expect(informer.get("a")?.metadata.resourceVersion).toBe("11");
    expect(informer.get("a", "ns")).toBe(informer.get("a"));
    expect(informer.get("a", "elsewhere")).toBeUndefined();
    expect(informer.get("a")).toMatchObject({ apiVersion: "v1", kind: "ConfigMap" }); // list items get their type back
    await informer.stop();
  });

  it("relists on 410 and fires deletes, adds and updates for the difference only", async () => {
    const { source, calls } = fakeSource(
      [
        { version: "10", items: [cm("a", "1"), cm("b", "2"), cm("c", "3")] },
        { version: "30", items: [cm("a", "1"), cm("c", "25"), cm("e", "26")] },
      ],
      [{ events: [], then: gone() }],
    );
    const informer = createInformer(source);
    const log = recorder(informer);
    await informer.synced;
    await until(() => informer.listCount === 2);
    expect(log).toEqual(["add a@1", "add b@2", "add c@3", "delete b", "add e@26", "update c@3->25"]);
    expect(calls).toEqual(["list - limit=500", "watch 10", "list - limit=500", "watch 30"]);
    expect(informer.list().map((object) => `${object.metadata.name}@${object.metadata.resourceVersion}`).sort()).toEqual(["a@1", "c@25", "e@26"]);
    await informer.stop();
  });

  it("retries a list that failed on the network, reporting the failure to error handlers", async () => {
    const { source } = fakeSource([{ version: "10", items: [cm("a", "1")] }], []);
    let failures = 1;
    const flaky: InformerSource<Cm> = {
      ...source,
      list: async (options) => {
        if (failures-- > 0) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
        return source.list(options);
      },
    };
    const informer = createInformer(flaky, { backoff: { initialMs: 1 } });
    const errors: unknown[] = [];
    informer.on("error", (error) => errors.push(error));
    await informer.synced;
    expect(errors).toHaveLength(1);
    expect(informer.get("a")).toBeDefined();
    await informer.stop();
  });

  it("stops on a refusal such as 403: synced and done reject with it", async () => {
    const forbidden = statusErrorFromStatus({ kind: "Status", code: 403, reason: "Forbidden", message: "no" }, { method: "GET", url: "u" });
    const { source } = fakeSource([], []);
    const informer = createInformer({ ...source, list: async () => Promise.reject(forbidden) });
    await expect(informer.synced).rejects.toBe(forbidden);
    await expect(informer.done).rejects.toBe(forbidden);
    await informer.stop();
  });

  it("resyncs every resyncMs with the stored objects as new and old, and stop() leaves no timer or request", async () => {
    const before = activeResourceCounts();
    const { source } = fakeSource([{ version: "10", items: [cm("a", "1")] }], []);
    const informer = createInformer(source, { resyncMs: 10 });
    const resynced: string[] = [];
    informer.on("update", (object, old) => object === old && resynced.push(object.metadata.name));
    await informer.synced;
    await until(() => resynced.length >= 2);
    await informer.stop();
    const count = resynced.length;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(resynced.length).toBe(count);
    await expectNoLeaksSince(before);
  });

  it("rejects synced when stopped before the first list completes; handler exceptions go to error handlers", async () => {
    const { source } = fakeSource([{ version: "10", items: [cm("a", "1")] }], []);
    const informer = createInformer({ ...source, list: (options) => new Promise<never>((_, reject) => options!.signal!.addEventListener("abort", () => reject(new Error("aborted")))) });
    const stopping = informer.stop();
    await expect(informer.synced).rejects.toThrow(/stopped before its first list completed/);
    await stopping;

    const second = createInformer(fakeSource([{ version: "10", items: [cm("a", "1")] }], []).source);
    const errors: unknown[] = [];
    second.on("add", () => {
      throw new Error("handler bug");
    });
    second.on("error", (error) => errors.push(error));
    await second.synced;
    expect((errors[0] as Error).message).toBe("handler bug");
    await second.stop();
  });

  it("keys objects by namespace/name: all-namespace informers need the namespace in get()", async () => {
    const items = [cm("same", "1"), { metadata: { name: "same", namespace: "other", resourceVersion: "2" } }];
    const informer = createInformer(fakeSource([{ version: "10", items }], []).source, { allNamespaces: true });
    await informer.synced;
    expect(informer.get("same", "other")?.metadata.resourceVersion).toBe("2");
    expect(informer.get("same", "ns")?.metadata.resourceVersion).toBe("1");
    expect(() => informer.get("same")).toThrow(/pass the namespace/);
    await informer.stop();
  });

  it("accepts a resource client (list + watch) and lists then watches through it", async () => {
    const transport = new FakeTransport();
    const kube = new KubeClient(transport, { namespace: "team-a" });
    transport.reply({ body: { kind: "ConfigMapList", apiVersion: "v1", metadata: { resourceVersion: "5" }, items: [{ metadata: { name: "x", namespace: "team-a", resourceVersion: "4" } }] } });
    const informer = createInformer(kube.resource(configmaps), { labelSelector: "app=web", timeoutSeconds: 30, streamingLists: false });
    await informer.synced;
    const typed: ConfigMap | undefined = informer.get("x");
    expect(typed?.metadata?.name).toBe("x");
    await until(() => transport.sent.length === 2);
    expect(transport.sent.map((request) => request.path)).toEqual([
      "/api/v1/namespaces/team-a/configmaps?labelSelector=app%3Dweb&limit=500",
      "/api/v1/namespaces/team-a/configmaps?allowWatchBookmarks=true&labelSelector=app%3Dweb&resourceVersion=5&timeoutSeconds=30&watch=true",
    ]);
    await informer.stop();
    // A descriptor without list/watch cannot make an informer.
    const createOnly = defineResource<ConfigMap>()({ group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true, verbs: ["create"] });
    // @ts-expect-error no list or watch verb
    expect(() => createInformer(kube.resource(createOnly))).toThrow();
  });
});
