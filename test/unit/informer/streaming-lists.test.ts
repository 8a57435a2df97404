import { describe, expect, it } from "vitest";
import { KubeClient } from "../../../runtime/index.js";
import { createInformer } from "../../../runtime/entries/controller.js";
import { configmaps } from "../../types/fixtures.js";
import { FakeTransport } from "../client/fake-transport.js";

const line = (event: unknown) => JSON.stringify(event) + "\n";
const object = (name: string, resourceVersion: string) => ({ metadata: { name, namespace: "team-a", resourceVersion } });
const endBookmark = (resourceVersion: string) => ({ type: "BOOKMARK", object: { metadata: { resourceVersion, annotations: { "k8s.io/initial-events-end": "true" } } } });
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe("informer over a resource client: streaming lists", () => {
  it("loads its store with one streaming watch (sendInitialEvents, NotOlderThan, bookmarks) and keeps watching on it", async () => {
    const transport = new FakeTransport();
    transport.reply({ chunks: [line({ type: "ADDED", object: object("a", "4") }), line(endBookmark("7")), line({ type: "ADDED", object: object("b", "8") })] });
    const informer = createInformer(new KubeClient(transport, { namespace: "team-a" }).resource(configmaps), { labelSelector: "app=web" });
    await informer.synced;
    await until(() => informer.get("b") !== undefined);
    expect(informer.get("a")?.metadata?.resourceVersion).toBe("4");
    expect(transport.sent[0]!.path).toBe("/api/v1/namespaces/team-a/configmaps?allowWatchBookmarks=true&labelSelector=app%3Dweb&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&watch=true");
    expect(transport.sent[0]).toMatchObject({ streaming: true });
    await informer.stop();
  });

  it("falls back to a paged list where the server refuses it (422, as Kubernetes 1.20 answers), and stays paged", async () => {
    const transport = new FakeTransport();
    const invalid = { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Invalid", code: 422, message: "resourceVersionMatch is forbidden for watch" };
    transport.reply({ statusCode: 422, body: invalid }, { body: { kind: "ConfigMapList", apiVersion: "v1", metadata: { resourceVersion: "5" }, items: [object("x", "4")] } });
    const informer = createInformer(new KubeClient(transport, { namespace: "team-a" }).resource(configmaps));
    await informer.synced;
    expect(informer.get("x")).toBeDefined();
    await until(() => transport.sent.length >= 3);
    expect(transport.sent.slice(0, 3).map((request) => request.path)).toEqual([
      "/api/v1/namespaces/team-a/configmaps?allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&watch=true",
      "/api/v1/namespaces/team-a/configmaps?limit=500",
      "/api/v1/namespaces/team-a/configmaps?allowWatchBookmarks=true&resourceVersion=5&watch=true",
    ]);
    await informer.stop();
  });

  it("lists in pages when told (streamingLists: false) or when the source is one of the caller's own", async () => {
    const transport = new FakeTransport();
    transport.reply({ body: { kind: "ConfigMapList", apiVersion: "v1", metadata: { resourceVersion: "5" }, items: [] } });
    const client = new KubeClient(transport, { namespace: "team-a" }).resource(configmaps);
    const informer = createInformer(client, { streamingLists: false });
    await informer.synced;
    expect(transport.sent[0]!.path).toBe("/api/v1/namespaces/team-a/configmaps?limit=500");
    await informer.stop();
    transport.reply({ body: { kind: "ConfigMapList", apiVersion: "v1", metadata: { resourceVersion: "6" }, items: [] } });
    const listsBefore = transport.sent.length;
    const own = createInformer({ descriptor: client.descriptor, list: (options) => client.list(options as never), watch: (options) => client.watch(options as never) });
    await own.synced;
    expect(transport.sent[listsBefore]!.path).toBe("/api/v1/namespaces/team-a/configmaps?limit=500");
    await own.stop();
  });
});
