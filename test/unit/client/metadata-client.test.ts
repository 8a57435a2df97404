import { describe, expect, it } from "vitest";
import { KubeClient, type WatchEvent, type PartialObjectMetadata } from "../../../runtime/index.js";
import { buildRequest, createRequestBase } from "../../../runtime/request/index.js";
import { configmaps, tokenreviews } from "../../types/fixtures.js";
import { FakeTransport } from "./fake-transport.js";

const ONE = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
const LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

describe("metadata-only requests (request/build.ts)", () => {
  const target = createRequestBase(configmaps, "ns");

  it("ask for PartialObjectMetadata (get, watch) and PartialObjectMetadataList (list) in Accept, with plain JSON as fallback", () => {
    expect(buildRequest(target, { verb: "get", name: "a", metadataOnly: true }).headers).toEqual({ accept: ONE });
    expect(buildRequest(target, { verb: "list", metadataOnly: true }).headers).toEqual({ accept: LIST });
    expect(buildRequest(target, { verb: "watch", metadataOnly: true }).headers).toEqual({ accept: ONE });
    expect(buildRequest(target, { verb: "list" }).headers).toEqual({ accept: "application/json" });
  });
});

describe("kube.metadata(descriptor)", () => {
  const setup = () => {
    const transport = new FakeTransport();
    return { transport, kube: new KubeClient(transport, { namespace: "team-a" }) };
  };

  it("has the descriptor's read verbs only, plus listAll/listPages with list", () => {
    const { kube } = setup();
    expect(Object.keys(kube.metadata(configmaps)).sort()).toEqual(["descriptor", "get", "list", "listAll", "listPages", "watch"]);
    expect(Object.keys(kube.metadata(tokenreviews))).toEqual(["descriptor"]);
  });

  it("sends the metadata Accept header on every read, resuming watches included", async () => {
    const { kube, transport } = setup();
    const meta = kube.metadata(configmaps);
    transport.reply(
      { body: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: { name: "a" } } },
      { body: { kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion: "5" }, items: [] } },
      { chunks: [JSON.stringify({ type: "ADDED", object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: { name: "b", resourceVersion: "6" } } }) + "\n"] },
    );
    await meta.get("a");
    await meta.list();
    const abort = new AbortController();
    for await (const event of meta.watch({ resourceVersion: "5", signal: abort.signal })) {
      expect(event.type).toBe("ADDED");
      abort.abort();
    }
    expect(transport.sent.map((request) => [request.path.split("?")[0], request.headers?.accept])).toEqual([
      ["/api/v1/namespaces/team-a/configmaps/a", ONE],
      ["/api/v1/namespaces/team-a/configmaps", LIST],
      ["/api/v1/namespaces/team-a/configmaps", ONE],
    ]);
  });

  it("trims whole objects from a server that cannot convert (some aggregated APIs) to the same shape", async () => {
    const { kube, transport } = setup();
    const meta = kube.metadata(configmaps);
    const full = { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "a", resourceVersion: "3" }, data: { big: "x" } };
    transport.reply(
      { body: full },
      { body: { kind: "ConfigMapList", apiVersion: "v1", metadata: { resourceVersion: "3", continue: "" }, items: [full] } },
      { chunks: [JSON.stringify({ type: "MODIFIED", object: full }) + "\n", JSON.stringify({ type: "ERROR", object: { kind: "Status", code: 500, message: "boom" } }) + "\n"] },
    );
    const partial: PartialObjectMetadata = { apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { name: "a", resourceVersion: "3" } };
    expect(await meta.get("a")).toEqual(partial);
    const list = await meta.list();
    expect(list).toEqual({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadataList", metadata: { resourceVersion: "3", continue: "" }, items: [partial] });
    const events: WatchEvent<PartialObjectMetadata>[] = [];
    for await (const event of meta.watch({ resume: false })) events.push(event);
    expect(events).toEqual([
      { type: "MODIFIED", object: partial },
      { type: "ERROR", object: { kind: "Status", code: 500, message: "boom" } },
    ]);
  });
});
