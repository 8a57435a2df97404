import { describe, expect, it } from "vitest";
import { KubeClient, type WatchEvent } from "../../../runtime/index.js";
import { clusterroles, configmaps, type ConfigMap } from "../../types/fixtures.js";
import { FakeTransport } from "../client/fake-transport.js";

const event = (type: string, name: string, resourceVersion: string) => JSON.stringify({ type, object: { metadata: { name, resourceVersion } } }) + "\n";

function setup() {
  const transport = new FakeTransport();
  return { transport, kube: new KubeClient(transport, { namespace: "team-a" }) };
}

describe("resource client: resuming watch", () => {
  it("finds the current version with a limit=1 list, asks for bookmarks and resumes after the stream ends", async () => {
    const { kube, transport } = setup();
    transport.reply(
      { body: { kind: "ConfigMapList", metadata: { resourceVersion: "40" }, items: [] } },
      { chunks: [event("ADDED", "a", "41")] },
      { chunks: [event("DELETED", "a", "42")] },
    );
    const seen: Array<WatchEvent<ConfigMap>> = [];
    for await (const item of kube.resource(configmaps).watch({ labelSelector: "app=x", timeoutSeconds: 5 })) {
      seen.push(item);
      if (seen.length === 2) break;
    }
    expect(seen.map((item) => item.type)).toEqual(["ADDED", "DELETED"]);
    expect(transport.sent.map((request) => request.path)).toEqual([
      "/api/v1/namespaces/team-a/configmaps?labelSelector=app%3Dx&limit=1",
      "/api/v1/namespaces/team-a/configmaps?allowWatchBookmarks=true&labelSelector=app%3Dx&resourceVersion=40&timeoutSeconds=5&watch=true",
      "/api/v1/namespaces/team-a/configmaps?allowWatchBookmarks=true&labelSelector=app%3Dx&resourceVersion=41&timeoutSeconds=5&watch=true",
    ]);
    expect(transport.sent[1]).toMatchObject({ streaming: true });
  });

  it("keeps allowWatchBookmarks=false when asked and starts at a given resourceVersion", async () => {
    const { kube, transport } = setup();
    transport.reply({ chunks: [event("ADDED", "a", "8")] });
    for await (const _ of kube.resource(configmaps).watch({ resourceVersion: "7", allowWatchBookmarks: false })) break;
    expect(transport.sent.map((request) => request.path)).toEqual(["/api/v1/namespaces/team-a/configmaps?allowWatchBookmarks=false&resourceVersion=7&watch=true"]);
  });

  it("sends one plain request with resume: false and ends with its stream", async () => {
    const { kube, transport } = setup();
    transport.reply({ chunks: [event("ADDED", "a", "8")] });
    const seen: string[] = [];
    for await (const item of kube.resource(configmaps).watch({ resume: false })) seen.push(item.type);
    expect(seen).toEqual(["ADDED"]);
    expect(transport.sent.map((request) => request.path)).toEqual(["/api/v1/namespaces/team-a/configmaps?watch=true"]);
  });

  it("still validates its arguments at the call", () => {
    const { kube } = setup();
    expect(() => kube.resource(clusterroles).watch({ namespace: "x" } as never)).toThrow(/cluster-scoped/);
    expect(() => kube.resource(configmaps).watch({ timeoutSeconds: -1 })).toThrow(/timeoutSeconds/);
  });
});
