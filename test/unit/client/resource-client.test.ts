import { describe, expect, it } from "vitest";
import { isNotFound, KubeClient, RequestValidationError, type WatchEvent } from "../../../runtime/index.js";
import { defineResource } from "../../../runtime/entries/plumbing.js";
import { clusterroles, configmaps, jobs, pods, tokenreviews, type ConfigMap } from "../../types/fixtures.js";
import { FakeTransport } from "./fake-transport.js";

function setup(namespace = "team-a") {
  const transport = new FakeTransport();
  return { transport, kube: new KubeClient(transport, { namespace }) };
}

describe("resource client: shape", () => {
  it("has exactly the descriptor's verbs, apply with patch, listAll with list, and one property per subresource", () => {
    const { kube } = setup();
    expect(Object.keys(kube.resource(jobs)).sort()).toEqual(
      ["apply", "create", "delete", "deletecollection", "descriptor", "get", "list", "listAll", "listPages", "patch", "status", "update", "validate", "watch"].sort(),
    );
    expect(Object.keys(kube.resource(jobs).status).sort()).toEqual(["get", "patch", "update"]);
    expect(Object.keys(kube.resource(tokenreviews)).sort()).toEqual(["create", "descriptor", "validate"]);
    expect((kube.resource(tokenreviews) as unknown as Record<string, unknown>).get).toBeUndefined();
  });

  it("gives streaming subresources their own methods (exec, log) and keeps JSON ones (eviction, status)", async () => {
    const { kube, transport } = setup();
    const podClient = kube.resource(pods);
    expect(Object.keys(podClient).filter((key) => typeof (podClient as unknown as Record<string, unknown>)[key] === "object" && key !== "descriptor").sort()).toEqual(["eviction", "log", "status"]);
    expect(Object.keys(podClient.log).sort()).toEqual(["get", "stream"]);
    expect([typeof podClient.exec, typeof podClient.execAndCollect]).toEqual(["function", "function"]);
    await podClient.eviction.create("web-1", { metadata: { name: "web-1" } });
    expect(transport.last).toMatchObject({ method: "POST", path: "/api/v1/namespaces/team-a/pods/web-1/eviction" });
    expect(transport.last.json).toEqual({ apiVersion: "policy/v1beta1", kind: "Eviction", metadata: { name: "web-1" } });
  });

  it("rejects descriptors that could address other URLs or list unknown verbs", () => {
    const { kube } = setup();
    expect(() => kube.resource({ ...configmaps, plural: "../secrets" })).toThrow(/invalid plural/);
    expect(() => kube.resource({ ...configmaps, verbs: ["get", "exec" as "get"] })).toThrow(/"exec" is not a Kubernetes verb/);
    expect(() => kube.resource({ ...configmaps, subresources: { get: { verbs: ["get"] } } })).toThrow(/collides/);
  });
});

describe("resource client: requests", () => {
  it("get uses the client's namespace by default and the option when given", async () => {
    const { kube, transport } = setup();
    const cms = kube.resource(configmaps);
    await cms.get("a");
    expect(transport.last).toMatchObject({ method: "GET", path: "/api/v1/namespaces/team-a/configmaps/a", idempotent: true });
    await cms.get("a", { namespace: "other", resourceVersion: "0" });
    expect(transport.last.path).toBe("/api/v1/namespaces/other/configmaps/a?resourceVersion=0");
  });

  it("a per-call timeout reaches the transport and never the query string", async () => {
    const { kube, transport } = setup();
    await kube.resource(configmaps).get("a", { timeoutMs: 1500 });
    expect(transport.last).toMatchObject({ path: "/api/v1/namespaces/team-a/configmaps/a", timeoutMs: 1500 });
    await kube.resource(configmaps).patch("a", { data: { b: "1" } }, { timeoutMs: 0, fieldManager: "me" });
    expect(transport.last).toMatchObject({ path: "/api/v1/namespaces/team-a/configmaps/a?fieldManager=me", timeoutMs: 0 });
  });

  it("cluster-scoped resources never get a namespace, and refuse one at run time", async () => {
    const { kube, transport } = setup();
    const roles = kube.resource(clusterroles);
    await roles.get("view");
    expect(transport.last.path).toBe("/apis/rbac.authorization.k8s.io/v1/clusterroles/view");
    await expect(roles.get("view", { namespace: "x" } as never)).rejects.toThrow(/ClusterRole \(clusterroles\.rbac\.authorization\.k8s\.io\/v1\) is cluster-scoped; remove the namespace/);
    expect(transport.sent).toHaveLength(1);
  });

  it("list across all namespaces drops the namespace segment", async () => {
    const { kube, transport } = setup();
    await kube.resource(jobs).list({ allNamespaces: true, labelSelector: "app=x", limit: 3 });
    expect(transport.last.path).toBe("/apis/batch/v1/jobs?labelSelector=app%3Dx&limit=3");
    await expect(kube.resource(jobs).list({ allNamespaces: true, namespace: "a" } as never)).rejects.toThrow(/either namespace or allNamespaces/);
  });

  it("create fills apiVersion/kind, takes the namespace from options, then body, then default", async () => {
    const { kube, transport } = setup();
    const cms = kube.resource(configmaps);
    await cms.create({ metadata: { name: "c" }, data: { a: "1" } }, { fieldManager: "me" });
    expect(transport.last).toMatchObject({ method: "POST", path: "/api/v1/namespaces/team-a/configmaps?fieldManager=me", idempotent: false });
    expect(transport.last.json).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } });
    await cms.create({ metadata: { name: "c", namespace: "from-body" } });
    expect(transport.last.path).toBe("/api/v1/namespaces/from-body/configmaps");
    await cms.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "from-body" } }, { namespace: "from-options" });
    expect(transport.last.path).toBe("/api/v1/namespaces/from-options/configmaps");
  });

  it("update PUTs to body.metadata.name and needs it", async () => {
    const { kube, transport } = setup();
    const cms = kube.resource(configmaps);
    await cms.update({ metadata: { name: "c", namespace: "n", resourceVersion: "5" }, data: {} });
    expect(transport.last).toMatchObject({ method: "PUT", path: "/api/v1/namespaces/n/configmaps/c", idempotent: true });
    expect(transport.last.json).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { resourceVersion: "5" } });
    // @ts-expect-error the type requires metadata.name; the run-time check is for untyped callers
    await expect(cms.update({ data: {} })).rejects.toThrow(/body\.metadata\.name: update needs the object's name/);
    await expect(cms.update({ metadata: { name: "../x" } })).rejects.toThrow(RequestValidationError);
  });

  it("patch sends each type's content type, merge by default", async () => {
    const { kube, transport } = setup();
    const cms = kube.resource(configmaps);
    await cms.patch("c", { data: { a: null } });
    expect(transport.last.headers?.["content-type"]).toBe("application/merge-patch+json");
    expect(transport.last.json).toEqual({ data: { a: null } });
    await cms.patch("c", [{ op: "add", path: "/data/b", value: "2" }], { type: "json" });
    expect(transport.last.headers?.["content-type"]).toBe("application/json-patch+json");
    await cms.patch("c", { data: { b: "3" } }, { type: "strategic", dryRun: "All" });
    expect(transport.last).toMatchObject({ method: "PATCH", path: "/api/v1/namespaces/team-a/configmaps/c?dryRun=All" });
    expect(transport.last.headers?.["content-type"]).toBe("application/strategic-merge-patch+json");
  });

  it("apply is a PATCH with the apply content type, filled type meta and fieldManager", async () => {
    const { kube, transport } = setup();
    await kube.resource(jobs).apply({ metadata: { name: "pi" }, spec: { suspend: true } as never }, { fieldManager: "ci", force: true });
    expect(transport.last).toMatchObject({ method: "PATCH", path: "/apis/batch/v1/namespaces/team-a/jobs/pi?fieldManager=ci&force=true" });
    expect(transport.last.headers?.["content-type"]).toBe("application/apply-patch+yaml");
    expect(transport.last.json).toEqual({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "pi" }, spec: { suspend: true } });
    await expect(kube.resource(jobs).apply({ metadata: { name: "pi" } }, {} as never)).rejects.toThrow(/fieldManager/);
  });

  it("delete sends DeleteOptions as the body; deletecollection also the selectors", async () => {
    const { kube, transport } = setup();
    const cms = kube.resource(configmaps);
    await cms.delete("c", { propagationPolicy: "Background", preconditions: { resourceVersion: "7" } });
    expect(transport.last).toMatchObject({ method: "DELETE", path: "/api/v1/namespaces/team-a/configmaps/c" });
    expect(transport.last.json).toEqual({ kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background", preconditions: { resourceVersion: "7" } });
    await cms.deletecollection({ labelSelector: "t=1", gracePeriodSeconds: 0 });
    expect(transport.last.path).toBe("/api/v1/namespaces/team-a/configmaps?labelSelector=t%3D1");
    expect(transport.last.json).toMatchObject({ gracePeriodSeconds: 0 });
  });

  it("subresources: status get/update/patch on <name>/status, create on the parent's subresource", async () => {
    const { kube, transport } = setup();
    const jobClient = kube.resource(jobs);
    await jobClient.status.get("pi");
    expect(transport.last.path).toBe("/apis/batch/v1/namespaces/team-a/jobs/pi/status");
    await jobClient.status.update({ metadata: { name: "pi" }, status: { active: 1 } });
    expect(transport.last).toMatchObject({ method: "PUT", path: "/apis/batch/v1/namespaces/team-a/jobs/pi/status" });
    await jobClient.status.patch("pi", { status: { failed: 1 } });
    expect(transport.last).toMatchObject({ method: "PATCH", path: "/apis/batch/v1/namespaces/team-a/jobs/pi/status" });

    const serviceaccounts = defineResource<{ metadata?: { name?: string } }, { token: { apiVersion?: string; kind?: string; spec: { audiences: string[] } } }>()({
      group: "",
      version: "v1",
      plural: "serviceaccounts",
      kind: "ServiceAccount",
      namespaced: true,
      verbs: ["get"],
      subresources: { token: { verbs: ["create"], group: "authentication.k8s.io", version: "v1", kind: "TokenRequest" } },
    });
    await kube.resource(serviceaccounts).token.create("builder", { spec: { audiences: ["api"] } });
    expect(transport.last).toMatchObject({ method: "POST", path: "/api/v1/namespaces/team-a/serviceaccounts/builder/token" });
    expect(transport.last.json).toEqual({ apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { audiences: ["api"] } });
  });

  it("passes the caller's AbortSignal to the transport", async () => {
    const { kube, transport } = setup();
    const controller = new AbortController();
    await kube.resource(configmaps).get("a", { signal: controller.signal });
    expect(transport.last.signal).toBe(controller.signal);
  });

  it("turns a Status answer into a typed error naming method and URL", async () => {
    const { kube, transport } = setup();
    transport.reply({ statusCode: 404, body: { kind: "Status", code: 404, reason: "NotFound", message: 'configmaps "nope" not found' } });
    const failure = kube.resource(configmaps).get("nope");
    await expect(failure).rejects.toSatisfy(isNotFound);
    await expect(failure).rejects.toThrow('GET https://k8s.example:6443/api/v1/namespaces/team-a/configmaps/nope: 404 NotFound: configmaps "nope" not found');
  });
});

describe("resource client: listAll and watch", () => {
  it("listAll follows continue tokens with limit 500 by default", async () => {
    const { kube, transport } = setup();
    const page = (names: string[], token?: string) => ({ body: { kind: "ConfigMapList", apiVersion: "v1", metadata: { continue: token }, items: names.map((name) => ({ metadata: { name } })) } });
    transport.reply(page(["a", "b"], "t1"), page(["c"], "t2"), page([], undefined));
    const names: string[] = [];
    for await (const item of kube.resource(configmaps).listAll({ labelSelector: "x=y" })) names.push(item.metadata!.name!);
    expect(names).toEqual(["a", "b", "c"]);
    expect(transport.sent.map((request) => request.path)).toEqual([
      "/api/v1/namespaces/team-a/configmaps?labelSelector=x%3Dy&limit=500",
      "/api/v1/namespaces/team-a/configmaps?continue=t1&labelSelector=x%3Dy&limit=500",
      "/api/v1/namespaces/team-a/configmaps?continue=t2&labelSelector=x%3Dy&limit=500",
    ]);
  });

  it("listAll refuses a cluster-scoped namespace at the call", () => {
    const { kube } = setup();
    expect(() => kube.resource(clusterroles).listAll({ namespace: "x" } as never)).toThrow(/cluster-scoped/);
  });

  it("listAll stops on a repeated continue token instead of looping", async () => {
    const { kube, transport } = setup();
    const page = { body: { metadata: { continue: "same" }, items: [] } };
    transport.reply(page, page);
    const consume = async () => {
      for await (const _ of kube.resource(configmaps).listAll()) void _;
    };
    await expect(consume()).rejects.toThrow(/repeated continue token/);
  });

  it("watch streams decoded events from a watch=true request", async () => {
    const { kube, transport } = setup();
    const added = { type: "ADDED", object: { metadata: { name: "a" } } };
    const deleted = { type: "DELETED", object: { metadata: { name: "a" } } };
    const text = JSON.stringify(added) + "\n" + JSON.stringify(deleted) + "\n";
    transport.reply({ chunks: [text.slice(0, 13), text.slice(13, 60), text.slice(60)] });
    const seen: Array<WatchEvent<ConfigMap>> = [];
    for await (const event of kube.resource(configmaps).watch({ allowWatchBookmarks: true, timeoutSeconds: 5, resume: false })) seen.push(event);
    expect(seen).toEqual([added, deleted]);
    expect(transport.last).toMatchObject({ method: "GET", path: "/api/v1/namespaces/team-a/configmaps?allowWatchBookmarks=true&timeoutSeconds=5&watch=true", streaming: true });
  });

  it("watch validates its arguments at the call and ends quietly when aborted", async () => {
    const { kube, transport } = setup();
    expect(() => kube.resource(clusterroles).watch({ namespace: "x" } as never)).toThrow(/cluster-scoped/);
    const controller = new AbortController();
    transport.reply(async (request) => {
      controller.abort();
      throw request.signal?.reason ?? new Error("aborted");
    });
    const seen: unknown[] = [];
    for await (const event of kube.resource(configmaps).watch({ signal: controller.signal })) seen.push(event);
    expect(seen).toEqual([]);
  });

  it("watch surfaces a failed request as a typed error", async () => {
    const { kube, transport } = setup();
    transport.reply({ statusCode: 403, body: { kind: "Status", code: 403, reason: "Forbidden", message: "no" } });
    const consume = async () => {
      for await (const _ of kube.resource(configmaps).watch()) void _;
    };
    await expect(consume()).rejects.toThrow(/403 Forbidden: no/);
  });
});

describe("a server URL with a trailing slash", () => {
  class SlashTransport extends FakeTransport {
    override readonly server = "https://k8s.example:6443/";
  }

  it("is joined to request paths without a double slash in every message", async () => {
    const transport = new SlashTransport();
    const kube = new KubeClient(transport, { namespace: "team-a" });
    transport.reply({ body: "<html>proxy</html>" }, { chunks: ["not json\n"] });
    await expect(kube.requestJson({ method: "GET", path: "/version" })).rejects.toThrow("GET https://k8s.example:6443/version: the answer is not JSON");
    const consume = async () => {
      for await (const _ of kube.resource(configmaps).watch({ resume: false })) void _;
    };
    await expect(consume()).rejects.toThrow("watch GET https://k8s.example:6443/api/v1/namespaces/team-a/configmaps?watch=true: a line is not JSON");
    expect(kube.server).toBe("https://k8s.example:6443");
  });
});

describe("KubeClient raw requests", () => {
  it("requestJson appends the query, sends objects as JSON and parses the answer", async () => {
    const { kube, transport } = setup();
    transport.reply({ body: { ok: true } });
    const answer = await kube.requestJson<{ ok: boolean }>({ method: "POST", path: "/apis/x/v1/things?a=1", query: { b: 2 }, body: { c: 3 } });
    expect(answer).toEqual({ ok: true });
    expect(transport.last).toMatchObject({ method: "POST", path: "/apis/x/v1/things?a=1&b=2", body: '{"c":3}' });
    expect(transport.last.headers).toMatchObject({ accept: "application/json", "content-type": "application/json" });
  });

  it("requestJson names the URL when the answer is not JSON; requestText returns it as is", async () => {
    const { kube, transport } = setup();
    transport.reply({ body: "<html>proxy</html>" }, { body: "<html>proxy</html>" });
    await expect(kube.requestJson({ method: "GET", path: "/version" })).rejects.toThrow(/GET https:\/\/k8s\.example:6443\/version: the answer is not JSON/);
    expect(await kube.requestText({ method: "GET", path: "/version" })).toBe("<html>proxy</html>");
  });

  it("refuses relative paths and closes the transport", async () => {
    const { kube, transport } = setup();
    await expect(kube.requestText({ method: "GET", path: "version" })).rejects.toThrow(/must be absolute/);
    await kube.close();
    expect(transport.closed).toBe(true);
  });

  it("defaults the namespace to \"default\"", () => {
    expect(new KubeClient(new FakeTransport()).namespace).toBe("default");
  });
});
