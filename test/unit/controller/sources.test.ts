import { describe, expect, it } from "vitest";
import type { ObjectMetadata } from "../../../runtime/api/metadata.js";
import { ownerKeys, splitKey } from "../../../runtime/controller/sources.js";
import { configmaps } from "../../types/fixtures.js";

const widgets = { group: "demo.kubetyped.dev", version: "v1alpha1", plural: "widgets", kind: "Widget", namespaced: true, verbs: ["list", "watch"] } as const;
const nodes = { group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false, verbs: ["list", "watch"] } as const;
const owner = (apiVersion: string, kind: string, name: string) => ({ apiVersion, kind, name, uid: `uid-${name}` });

describe("ownerKeys", () => {
  it("maps an owned object to its owners of the primary's group and kind, in the object's namespace, any version", () => {
    const object = {
      metadata: {
        name: "cm",
        namespace: "team-a",
        ownerReferences: [owner("demo.kubetyped.dev/v1alpha1", "Widget", "w1"), owner("demo.kubetyped.dev/v2", "Widget", "w2"), owner("other.dev/v1alpha1", "Widget", "x"), owner("apps/v1", "Deployment", "d")],
      },
    };
    expect(ownerKeys(widgets, object)).toEqual(["team-a/w1", "team-a/w2"]);
  });

  it("reads core owners (apiVersion without a group) and cluster-scoped primaries (keys without a namespace)", () => {
    const ownedBy = (reference: ReturnType<typeof owner>) => ({ metadata: { namespace: "ns", ownerReferences: [reference] } as ObjectMetadata });
    expect(ownerKeys(configmaps, ownedBy(owner("v1", "ConfigMap", "parent")))).toEqual(["ns/parent"]);
    expect(ownerKeys(nodes, ownedBy(owner("v1", "Node", "node-1")))).toEqual(["node-1"]);
    expect(ownerKeys(widgets, { metadata: { name: "orphan" } })).toEqual([]);
  });
});

describe("splitKey", () => {
  it("splits namespace/name and leaves cluster-scoped names whole", () => {
    expect(splitKey("ns/name")).toEqual({ namespace: "ns", name: "name" });
    expect(splitKey("node-1")).toEqual({ namespace: undefined, name: "node-1" });
  });
});
