import { describe, expect, it } from "vitest";
import { KubeClient, type WatchEvent } from "../../../runtime/index.js";
import type { RequestTransport } from "../../../runtime/rest/types.js";
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

  it("with resume: false, sends nothing until read and ends quietly when the caller aborts mid-stream", async () => {
    const { transport, sent } = stallingTransport(() => new DOMException("This operation was aborted", "AbortError"));
    const controller = new AbortController();
    const events = new KubeClient(transport).resource(configmaps).watch({ resume: false, signal: controller.signal });
    expect(sent).toEqual([]);
    const seen: string[] = [];
    for await (const item of events) {
      seen.push(item.type);
      controller.abort();
    }
    expect(seen).toEqual(["ADDED"]);
    expect(sent).toEqual(["/api/v1/namespaces/default/configmaps?watch=true"]);
  });

  it("with resume: false, a stream that fails without an abort fails the loop", async () => {
    const { transport } = stallingTransport(() => Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }), { failAtOnce: true });
    const seen: string[] = [];
    const loop = (async () => {
      for await (const item of new KubeClient(transport).resource(configmaps).watch({ resume: false })) seen.push(item.type);
    })();
    await expect(loop).rejects.toThrow("other side closed");
    expect(seen).toEqual(["ADDED"]);
  });

  it("still validates its arguments at the call", () => {
    const { kube } = setup();
    expect(() => kube.resource(clusterroles).watch({ namespace: "x" } as never)).toThrow(/cluster-scoped/);
    expect(() => kube.resource(configmaps).watch({ timeoutSeconds: -1 })).toThrow(/timeoutSeconds/);
  });

  it("builds its requests once, at the call: a bad name fails before any connection, and later changes to the options object reach no request", async () => {
    const { kube, transport } = setup();
    expect(() => kube.resource(configmaps).watch({ namespace: "Not A Namespace" })).toThrow(/invalid namespace/);
    expect(transport.sent).toEqual([]);
    transport.reply(
      { body: { kind: "ConfigMapList", metadata: { resourceVersion: "40" }, items: [] } },
      { chunks: [event("ADDED", "a", "41")] },
      { chunks: [event("ADDED", "b", "42")] },
    );
    const options = { namespace: "team-b", labelSelector: "app=x" };
    const events = kube.resource(configmaps).watch(options);
    options.namespace = "Not A Namespace";
    options.labelSelector = "app=changed";
    const seen: string[] = [];
    for await (const item of events) {
      if (item.type === "ADDED") seen.push(item.object.metadata!.name!);
      if (seen.length === 2) break;
    }
    expect(transport.sent.map((request) => request.path)).toEqual([
      "/api/v1/namespaces/team-b/configmaps?labelSelector=app%3Dx&limit=1",
      "/api/v1/namespaces/team-b/configmaps?allowWatchBookmarks=true&labelSelector=app%3Dx&resourceVersion=40&watch=true",
      "/api/v1/namespaces/team-b/configmaps?allowWatchBookmarks=true&labelSelector=app%3Dx&resourceVersion=41&watch=true",
    ]);
  });
});

/** One ADDED event, then a body that fails with `failure()` when the request is aborted (or at once with `failAtOnce`). */
function stallingTransport(failure: () => Error, options: { failAtOnce?: boolean } = {}): { transport: RequestTransport; sent: string[] } {
  const sent: string[] = [];
  const transport: RequestTransport = {
    server: "https://k8s.example:6443",
    async send(request) {
      sent.push(request.path);
      const aborted = new Promise<never>((_, reject) => {
        if (options.failAtOnce) reject(failure());
        else request.signal?.addEventListener("abort", () => reject(failure()), { once: true });
      });
      aborted.catch(() => {});
      const body = {
        text: async () => "",
        async *[Symbol.asyncIterator]() {
          yield new TextEncoder().encode(event("ADDED", "a", "8"));
          await aborted;
        },
      };
      return { statusCode: 200, headers: {}, body };
    },
    close: async () => {},
  };
  return { transport, sent };
}
