import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  clientFromConnection,
  connect,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isNotFound,
  isUnauthorized,
  KubeClient,
  Secret,
  StatusError,
  type WatchEvent,
} from "../../runtime/index.js";
import { createTransport, defineResource, loadKubeconfig, type RequestTransport } from "../../runtime/entries/plumbing.js";
import { describeWithCluster } from "../support/cluster.js";
import { clusterroles, configmaps, jobs, type ConfigMap } from "../types/fixtures.js";

const namespaces = defineResource<{ apiVersion?: "v1"; kind?: "Namespace"; metadata?: { name?: string } }>()({
  group: "",
  version: "v1",
  plural: "namespaces",
  kind: "Namespace",
  namespaced: false,
  verbs: ["create", "get", "list"],
});

const suffix = randomBytes(4).toString("hex");
const namespace = `client-e2e-${suffix}`;

describeWithCluster("KubeClient against kube-apiserver", (cluster) => {
  let kube: KubeClient;
  const extraClients: KubeClient[] = [];

  beforeAll(async () => {
    kube = await connect({ kubeconfig: cluster.kubeconfigPath, namespace });
    await kube.resource(namespaces).create({ metadata: { name: namespace } });
  });
  afterAll(async () => {
    await Promise.all([kube, ...extraClients].map((client) => client?.close()));
  });

  it("creates, gets, lists, updates and deletes a ConfigMap in the client's namespace", async () => {
    const cms = kube.resource(configmaps);
    const created = await cms.create({ metadata: { name: "crud" }, data: { a: "1" } });
    expect(created.metadata?.namespace).toBe(namespace);
    expect(created.kind).toBe("ConfigMap");
    const fetched = await cms.get("crud");
    expect(fetched.data).toEqual({ a: "1" });
    const list = await cms.list();
    expect(list.kind).toBe("ConfigMapList");
    expect(list.items.map((item) => item.metadata?.name)).toContain("crud");
    const updated = await cms.update({ ...fetched, data: { a: "2" } });
    expect(updated.data).toEqual({ a: "2" });
    expect(updated.metadata?.resourceVersion).not.toBe(fetched.metadata?.resourceVersion);
    await cms.delete("crud", { gracePeriodSeconds: 0, preconditions: { uid: updated.metadata!.uid! } });
    await expect(cms.get("crud")).rejects.toSatisfy(isNotFound);
  });

  it("patches with every patch type and applies server-side", async () => {
    const cms = kube.resource(configmaps);
    await cms.create({ metadata: { name: "patched" }, data: { a: "1" } });
    expect((await cms.patch("patched", { data: { b: "2" } })).data).toEqual({ a: "1", b: "2" });
    expect((await cms.patch("patched", { data: { a: null } }, { type: "merge" })).data).toEqual({ b: "2" });
    expect((await cms.patch("patched", [{ op: "add", path: "/data/c", value: "3" }], { type: "json" })).data).toEqual({ b: "2", c: "3" });
    expect((await cms.patch("patched", { metadata: { labels: { s: "1" } } }, { type: "strategic" })).metadata?.labels).toEqual({ s: "1" });
    const dryRun = await cms.patch("patched", { data: { d: "4" } }, { dryRun: "All" });
    expect(dryRun.data?.d).toBe("4");
    expect((await cms.get("patched")).data?.d).toBeUndefined();

    // Apply of a field another manager owns conflicts, unless forced.
    const conflict = await cms.apply({ metadata: { name: "patched" }, data: { b: "applied" } }, { fieldManager: "e2e-apply" }).catch((error: unknown) => error);
    expect(conflict).toSatisfy(isConflict);
    expect(isConflict(conflict)).toBe(true);
    const applied = await cms.apply({ metadata: { name: "patched" }, data: { b: "applied", e: "5" } }, { fieldManager: "e2e-apply", force: true });
    expect(applied.data).toMatchObject({ b: "applied", c: "3", e: "5" });
    const viaPatch = await cms.patch("patched", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "patched" }, data: { f: "6" } }, { type: "apply", fieldManager: "e2e-apply-2" });
    expect(viaPatch.data?.f).toBe("6");
  });

  it("creates a Job and reads, patches and updates its status subresource", async () => {
    const jobClient = kube.resource(jobs);
    const job = await jobClient.create({
      metadata: { name: "pi" },
      spec: { suspend: true, template: { spec: { restartPolicy: "Never", containers: [{ name: "pi", image: "busybox", command: ["true"] }] } } },
    });
    expect(job.apiVersion).toBe("batch/v1");
    const status = await jobClient.status.get("pi");
    expect(status.metadata?.name).toBe("pi");
    const patched = await jobClient.status.patch("pi", { status: { failed: 2 } });
    expect(patched.status?.failed).toBe(2);
    const updated = await jobClient.status.update({ ...patched, status: { ...patched.status, failed: 3 } });
    expect(updated.status?.failed).toBe(3);
    // A spec change sent to /status is ignored: the subresource only writes status.
    const ignored = await jobClient.status.patch("pi", { spec: { parallelism: 7 } });
    expect(ignored.spec?.parallelism).not.toBe(7);
    await jobClient.delete("pi", { propagationPolicy: "Background" });
  });

  it("manages a cluster-scoped ClusterRole whose name holds a colon", async () => {
    const roles = kube.resource(clusterroles);
    const name = `kubetyped-e2e:reader-${suffix}`;
    await roles.create({ metadata: { name, labels: { e2e: suffix } }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }] });
    expect((await roles.get(name)).rules?.[0]?.verbs).toEqual(["get"]);
    expect((await roles.list({ labelSelector: `e2e=${suffix}` })).items.map((role) => role.metadata?.name)).toEqual([name]);
    await roles.patch(name, { rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }] });
    expect((await roles.get(name)).rules?.[0]?.verbs).toEqual(["get", "list"]);
    await roles.delete(name);
    await expect(roles.get(name)).rejects.toSatisfy(isNotFound);
  });

  it("deletes a collection by label selector", async () => {
    const cms = kube.resource(configmaps);
    for (const index of [1, 2, 3]) await cms.create({ metadata: { name: `dc-${index}`, labels: { batch: "dc" } } });
    await cms.create({ metadata: { name: "dc-keep" } });
    await cms.deletecollection({ labelSelector: "batch=dc" });
    expect((await cms.list({ labelSelector: "batch=dc" })).items).toEqual([]);
    expect((await cms.get("dc-keep")).metadata?.name).toBe("dc-keep");
  });

  it("lists every item across pages with listAll", async () => {
    const connection = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath });
    const transport = createTransport(connection);
    const paths: string[] = [];
    const counting: RequestTransport = {
      server: transport.server,
      send: (request) => {
        paths.push(request.path);
        return transport.send(request);
      },
      close: () => transport.close(),
    };
    const paging = new KubeClient(counting, { namespace });
    extraClients.push(paging);
    const cms = paging.resource(configmaps);
    for (let index = 0; index < 5; index++) await cms.create({ metadata: { name: `page-${index}`, labels: { paging: "yes" } } });
    paths.length = 0;
    const names: string[] = [];
    for await (const item of cms.listAll({ labelSelector: "paging=yes", limit: 2 })) names.push(item.metadata!.name!);
    expect(names.sort()).toEqual(["page-0", "page-1", "page-2", "page-3", "page-4"]);
    expect(paths).toHaveLength(3);
    expect(paths[1]).toMatch(/[?&]continue=/);
  });

  it("watches an ADDED then a DELETED event, and stops on abort", async () => {
    const cms = kube.resource(configmaps);
    const start = await cms.list({ labelSelector: "watched=yes" });
    const controller = new AbortController();
    const seen: Array<WatchEvent<ConfigMap>> = [];
    const watching = (async () => {
      for await (const event of cms.watch({ labelSelector: "watched=yes", resourceVersion: start.metadata.resourceVersion!, signal: controller.signal })) {
        seen.push(event);
        if (event.type === "DELETED") controller.abort();
      }
    })();
    await cms.create({ metadata: { name: "watched", labels: { watched: "yes" } } });
    await cms.delete("watched");
    await watching;
    expect(seen.map((event) => event.type)).toEqual(["ADDED", "DELETED"]);
    expect(seen.map((event) => (event.object as ConfigMap).metadata?.name)).toEqual(["watched", "watched"]);
  });

  it("maps 404, 409 AlreadyExists and 409 Conflict to typed errors", async () => {
    const cms = kube.resource(configmaps);
    const missing = await cms.get("does-not-exist").catch((error: unknown) => error);
    expect(missing).toSatisfy(isNotFound);
    expect((missing as StatusError).url).toBe(`${cluster.server}/api/v1/namespaces/${namespace}/configmaps/does-not-exist`);
    expect((missing as StatusError).details?.name).toBe("does-not-exist");

    const first = await cms.create({ metadata: { name: "twice" } });
    await expect(cms.create({ metadata: { name: "twice" } })).rejects.toSatisfy(isAlreadyExists);
    await cms.update({ ...first, data: { x: "1" } });
    const stale = await cms.update({ ...first, data: { x: "2" } }).catch((error: unknown) => error);
    expect(stale).toSatisfy(isConflict);
    expect((stale as StatusError).reason).toBe("Conflict");
  });

  it("maps 403 for a user without RBAC and 401 for a wrong token", async () => {
    const alice = await connect({ kubeconfig: cluster.kubeconfigPath, context: cluster.contexts.aliceToken, namespace });
    extraClients.push(alice);
    const forbidden = await alice.resource(configmaps).list().catch((error: unknown) => error);
    expect(forbidden).toSatisfy(isForbidden);
    expect((forbidden as StatusError).message).toContain('User "alice" cannot list resource "configmaps"');

    const connection = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath, context: cluster.contexts.adminToken });
    const wrong = clientFromConnection({ ...connection, credentials: { type: "token", token: new Secret("not-a-valid-token") } });
    extraClients.push(wrong);
    const unauthorized = await wrong.resource(configmaps).get("x").catch((error: unknown) => error);
    expect(unauthorized).toSatisfy(isUnauthorized);
    expect((unauthorized as Error).message).not.toContain("not-a-valid-token");
  });

  it("reads /version, /healthz?verbose, /metrics, /logs/ where served, /api and /apis", async () => {
    const version = await kube.nonResource.version();
    expect(version.gitVersion).toBe(cluster.version);
    expect(await kube.nonResource.healthz()).toBe("ok");
    const verbose = await kube.nonResource.healthz({ verbose: true, exclude: ["etcd"] });
    expect(verbose).toContain("[+]ping ok");
    expect(verbose).toContain("[+]etcd excluded: ok");
    expect(await kube.nonResource.readyz()).toBe("ok");
    expect(await kube.nonResource.livez()).toBe("ok");
    expect(await kube.nonResource.metrics()).toMatch(/^# (HELP|TYPE) /m);
    // /logs/ needs --enable-logs-handler, on by default in v1.20 and off in current releases: there it is a typed 404.
    if (cluster.version === "v1.20.2") expect((await kube.nonResource.logs()).length).toBeGreaterThan(0);
    else await expect(kube.nonResource.logs()).rejects.toMatchObject({ name: "StatusError", reason: "NotFound", code: 404 });
    expect((await kube.nonResource.apiVersions()).versions).toContain("v1");
    expect((await kube.nonResource.apiGroups()).groups.map((group) => group.name)).toContain("batch");
    const viaConnect = await connect({ kubeconfig: cluster.kubeconfigPath });
    extraClients.push(viaConnect);
    expect((await viaConnect.nonResource.version()).gitVersion).toBe(cluster.version);
    expect(viaConnect.namespace).toBe("default");
  });
});
