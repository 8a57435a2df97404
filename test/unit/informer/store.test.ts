import { describe, expect, it } from "vitest";
import { ObjectStore } from "../../../runtime/informer/store.js";

type Obj = { metadata: { name?: string; namespace?: string; resourceVersion?: string } };
const obj = (name: string | undefined, namespace: string | undefined, resourceVersion = "1"): Obj => ({ metadata: { name, namespace, resourceVersion } as Obj["metadata"] });

describe("ObjectStore", () => {
  it("keeps objects apart by namespace and name, cluster-scoped ones under no namespace, and counts them", () => {
    const store = new ObjectStore<Obj>();
    const a = obj("same", "ns-a");
    const b = obj("same", "ns-b");
    const cluster = obj("same", undefined);
    for (const object of [a, b, cluster]) expect(store.upsert(object)).toEqual({ old: undefined, stored: true });
    expect(store.upsert(obj(undefined, "ns-a"))).toEqual({ old: undefined, stored: false });
    expect(store.size).toBe(3);
    expect([store.get("ns-a", "same"), store.get("ns-b", "same"), store.get(undefined, "same")]).toEqual([a, b, cluster]);
    const newer = obj("same", "ns-a", "2");
    expect(store.upsert(newer)).toEqual({ old: a, stored: true });
    expect(store.size).toBe(3);
    expect(store.remove(obj("same", "ns-a"))).toBe(newer);
    expect(store.remove(obj("same", "ns-a"))).toBeUndefined();
    expect(store.size).toBe(2);
    expect(store.values()).toEqual([b, cluster]);
  });

  it("replace answers what was deleted, added and updated (by resourceVersion) and then holds only the new list", () => {
    const store = new ObjectStore<Obj>();
    store.replace([obj("kept", "ns"), obj("changed", "ns"), obj("gone", "ns"), obj("gone", "old-ns")]);
    const diff = store.replace([obj("kept", "ns"), obj("changed", "ns", "2"), obj("new", "new-ns"), obj(undefined, "ns")]);
    expect(diff.deleted.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(["ns/gone", "old-ns/gone"]);
    expect(diff.added.map((o) => o.metadata.name)).toEqual(["new"]);
    expect(diff.updated.map(({ object, old }) => [object.metadata.resourceVersion, old.metadata.resourceVersion])).toEqual([["2", "1"]]);
    expect(store.size).toBe(3);
    expect(store.get("old-ns", "gone")).toBeUndefined();
    expect(store.get("new-ns", "new")?.metadata.name).toBe("new");
  });
});
