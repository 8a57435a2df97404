import { describe, expect, it } from "vitest";
import { buildRequest, createRequestBase, RequestValidationError, requestPath } from "../../../runtime/request/index.js";

const jobs = createRequestBase({ group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true, subresources: { status: {} } }, "ns");
const pods = createRequestBase({ group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true, subresources: { eviction: { group: "policy", version: "v1", kind: "Eviction" } } }, "ns");
const deployments = createRequestBase({ group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true, subresources: { scale: { group: "autoscaling", version: "v1", kind: "Scale" } } }, "ns");
const clusterRoles = createRequestBase({ group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles", kind: "ClusterRole", namespaced: false }, "ns");
const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "pi" } };

describe("createRequestBase", () => {
  it("validates group, version and plural once, where the client is made", () => {
    expect(() => createRequestBase({ group: "Batch/..", version: "v1", plural: "jobs", kind: "Job", namespaced: true }, "ns")).toThrow(/invalid group/);
    expect(() => createRequestBase({ group: "batch", version: "v1/..", plural: "jobs", kind: "Job", namespaced: true }, "ns")).toThrow(/invalid version/);
    expect(() => createRequestBase({ group: "", version: "v1", plural: "../secrets", kind: "Secret", namespaced: true }, "ns")).toThrow(/invalid plural/);
    expect(jobs.address).toEqual({ groupVersionPath: "/apis/batch/v1", plural: "jobs" });
    expect(jobs.label).toBe("Job (jobs.batch/v1)");
  });
});

describe("buildRequest", () => {
  it("get: GET on the object, JSON accepted, no body; client options stay out of the query", () => {
    expect(buildRequest(jobs, { verb: "get", name: "pi", options: { resourceVersion: "0", timeoutMs: 5, signal: new AbortController().signal } })).toEqual({
      method: "GET",
      path: "/apis/batch/v1/namespaces/ns/jobs/pi?resourceVersion=0",
      headers: { accept: "application/json" },
    });
  });

  it("picks the namespace from the options, then the body, then the base's default", () => {
    expect(buildRequest(jobs, { verb: "get", name: "pi", options: { namespace: "other" } }).path).toBe("/apis/batch/v1/namespaces/other/jobs/pi");
    expect(buildRequest(jobs, { verb: "create", body: { metadata: { namespace: "from-body" } } }).path).toBe("/apis/batch/v1/namespaces/from-body/jobs");
    expect(buildRequest(jobs, { verb: "create", body: { metadata: { namespace: "from-body" } }, options: { namespace: "opt" } }).path).toBe("/apis/batch/v1/namespaces/opt/jobs");
    expect(buildRequest(jobs, { verb: "list", options: { allNamespaces: true } }).path).toBe("/apis/batch/v1/jobs");
    expect(() => buildRequest(jobs, { verb: "list", options: { allNamespaces: true, namespace: "a" } })).toThrow(/either namespace or allNamespaces/);
    expect(buildRequest(clusterRoles, { verb: "get", name: "view" }).path).toBe("/apis/rbac.authorization.k8s.io/v1/clusterroles/view");
    expect(() => buildRequest(clusterRoles, { verb: "get", name: "view", options: { namespace: "a" } })).toThrow(/ClusterRole \(clusterroles.rbac.authorization.k8s.io\/v1\) is cluster-scoped/);
  });

  it("list: GET on the collection, never a watch", () => {
    const request = buildRequest(jobs, { verb: "list", options: { limit: 2, continue: "abc", watch: true } });
    expect(request).toEqual({ method: "GET", path: "/apis/batch/v1/namespaces/ns/jobs?continue=abc&limit=2", headers: { accept: "application/json" }, batchItems: true });
    expect(buildRequest(jobs, { verb: "list" })).not.toHaveProperty("batchItems");
  });

  it("watch: GET on the collection with watch=true, without the options that steer the client", () => {
    const request = buildRequest(jobs, { verb: "watch", options: { allNamespaces: true, allowWatchBookmarks: true, resourceVersion: "12", resume: false, maxEventBytes: 10 } });
    expect(request.method).toBe("GET");
    expect(request.path).toBe("/apis/batch/v1/jobs?allowWatchBookmarks=true&resourceVersion=12&watch=true");
  });

  it("create: POST of the JSON body to the collection, apiVersion and kind filled in when left out", () => {
    const request = buildRequest(jobs, { verb: "create", body: job, options: { fieldManager: "me", dryRun: "All" } });
    expect(request).toEqual({
      method: "POST",
      path: "/apis/batch/v1/namespaces/ns/jobs?dryRun=All&fieldManager=me",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify(job),
    });
    expect(JSON.parse(buildRequest(jobs, { verb: "create", body: { metadata: { name: "pi" } } }).body!)).toEqual(job);
  });

  it("create on a subresource: POST to <parent>/<subresource>, with the subresource's own type", () => {
    const request = buildRequest(pods, { verb: "create", name: "p", subresource: "eviction", body: { metadata: { name: "p" } } });
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/api/v1/namespaces/ns/pods/p/eviction");
    expect(JSON.parse(request.body!)).toEqual({ apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "p" } });
  });

  it("update: PUT of the body to the object it names (or its subresource, typed as the subresource or its parent)", () => {
    expect(buildRequest(jobs, { verb: "update", body: job })).toMatchObject({ method: "PUT", path: "/apis/batch/v1/namespaces/ns/jobs/pi", body: JSON.stringify(job) });
    const status = buildRequest(jobs, { verb: "update", subresource: "status", body: { metadata: { name: "pi" } } });
    expect(status.path).toBe("/apis/batch/v1/namespaces/ns/jobs/pi/status");
    expect(JSON.parse(status.body!)).toMatchObject({ apiVersion: "batch/v1", kind: "Job" });
    const scale = buildRequest(deployments, { verb: "update", subresource: "scale", body: { metadata: { name: "web" }, spec: { replicas: 2 } } });
    expect(JSON.parse(scale.body!)).toMatchObject({ apiVersion: "autoscaling/v1", kind: "Scale" });
    expect(() => buildRequest(jobs, { verb: "update", body: { metadata: {} } })).toThrow(/body.metadata.name: update needs the object's name/);
  });

  it("update/create refuse bodies that are not objects", () => {
    expect(() => buildRequest(jobs, { verb: "update", body: [job] })).toThrow(/body: update expects a Kubernetes object/);
    expect(() => buildRequest(jobs, { verb: "create", body: "x" })).toThrow(RequestValidationError);
  });

  it.each([
    ["merge", { spec: { suspend: true } }, "application/merge-patch+json"],
    ["strategic", { spec: { suspend: true } }, "application/strategic-merge-patch+json"],
    ["json", [{ op: "replace", path: "/spec/suspend", value: true }], "application/json-patch+json"],
  ] as const)("patch (%s): PATCH with its content type, the type never in the query", (type, patch, contentType) => {
    const request = buildRequest(jobs, { verb: "patch", name: "pi", patch, options: { type } });
    expect(request.method).toBe("PATCH");
    expect(request.path).toBe("/apis/batch/v1/namespaces/ns/jobs/pi");
    expect(request.headers["content-type"]).toBe(contentType);
    expect(JSON.parse(request.body!)).toEqual(patch);
  });

  it("patch defaults to a merge patch", () => {
    expect(buildRequest(jobs, { verb: "patch", name: "pi", patch: {} }).headers["content-type"]).toBe("application/merge-patch+json");
  });

  it("apply: PATCH with the apply content type, the name from the body and a required fieldManager", () => {
    const request = buildRequest(jobs, { verb: "apply", body: { metadata: { name: "pi" } }, options: { fieldManager: "ci", force: true } });
    expect(request).toMatchObject({ method: "PATCH", path: "/apis/batch/v1/namespaces/ns/jobs/pi?fieldManager=ci&force=true" });
    expect(request.headers["content-type"]).toBe("application/apply-patch+yaml");
    expect(JSON.parse(request.body!)).toEqual(job);
    expect(() => buildRequest(jobs, { verb: "apply", body: job })).toThrow(/invalid fieldManager: apply needs options.fieldManager/);
  });

  it("delete: DELETE, with a DeleteOptions body only when options are given", () => {
    expect(buildRequest(jobs, { verb: "delete", name: "pi" })).toEqual({ method: "DELETE", path: "/apis/batch/v1/namespaces/ns/jobs/pi", headers: { accept: "application/json" } });
    const request = buildRequest(jobs, {
      verb: "delete",
      name: "pi",
      options: { propagationPolicy: "Foreground", gracePeriodSeconds: 0, dryRun: "All", preconditions: { uid: "u1" } },
    });
    expect(request.path).toBe("/apis/batch/v1/namespaces/ns/jobs/pi");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body!)).toEqual({
      kind: "DeleteOptions",
      apiVersion: "v1",
      propagationPolicy: "Foreground",
      gracePeriodSeconds: 0,
      dryRun: ["All"],
      preconditions: { uid: "u1" },
    });
  });

  it("checks gracePeriodSeconds and dryRun with the same rule whether they travel in the query or the body", () => {
    expect(() => buildRequest(jobs, { verb: "delete", name: "pi", options: { gracePeriodSeconds: -5 } })).toThrow("invalid gracePeriodSeconds: -5 is not a non-negative integer");
    expect(() => buildRequest(jobs, { verb: "delete", name: "pi", options: { dryRun: "Some" } })).toThrow('invalid dryRun: "Some" is not supported; the only value is "All"');
    expect(() => buildRequest(jobs, { verb: "create", body: job, options: { dryRun: "Some" } })).toThrow('invalid query.dryRun: "Some" is not supported; the only value is "All"');
    expect(() => buildRequest(jobs, { verb: "list", options: { timeoutSeconds: 1.5 } })).toThrow("invalid query.timeoutSeconds: 1.5 is not a non-negative integer");
  });

  it("deletecollection: DELETE on the collection with selectors", () => {
    const request = buildRequest(jobs, { verb: "deletecollection", options: { labelSelector: "a=b", propagationPolicy: "Background" } });
    expect(request.method).toBe("DELETE");
    expect(request.path).toBe("/apis/batch/v1/namespaces/ns/jobs?labelSelector=a%3Db");
    expect(JSON.parse(request.body!)).toMatchObject({ propagationPolicy: "Background" });
  });

  it("validates the name of every verb that takes one", () => {
    for (const verb of ["get", "delete"] as const) expect(() => buildRequest(jobs, { verb, name: "a/b" })).toThrow(/invalid name/);
    expect(() => buildRequest(jobs, { verb: "patch", name: "..", patch: {} })).toThrow(/invalid name/);
  });

  it("requestPath: the path of an object's streaming subresource in the namespace the options pick", () => {
    expect(requestPath(pods, { namespace: "b" }, "p", "log")).toBe("/api/v1/namespaces/b/pods/p/log");
    expect(() => requestPath(pods, undefined, undefined, "log")).toThrow(/needs an object name/);
  });
});
