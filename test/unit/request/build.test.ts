import { describe, expect, it } from "vitest";
import { buildRequest, RequestValidationError, type ResourceTarget } from "../../../runtime/request/index.js";

const jobs: ResourceTarget = { group: "batch", version: "v1", plural: "jobs", namespace: "ns" };
const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "pi" } };

describe("buildRequest", () => {
  it("get: GET on the object, JSON accepted, no body", () => {
    expect(buildRequest(jobs, { verb: "get", name: "pi", query: { resourceVersion: "0" } })).toEqual({
      method: "GET",
      path: "/apis/batch/v1/namespaces/ns/jobs/pi?resourceVersion=0",
      headers: { accept: "application/json" },
    });
  });

  it("list: GET on the collection, never a watch", () => {
    const request = buildRequest(jobs, { verb: "list", query: { limit: 2, continue: "abc", watch: true } });
    expect(request).toEqual({ method: "GET", path: "/apis/batch/v1/namespaces/ns/jobs?continue=abc&limit=2", headers: { accept: "application/json" }, batchItems: true });
    expect(buildRequest(jobs, { verb: "list" })).not.toHaveProperty("batchItems");
  });

  it("watch: GET on the collection with watch=true", () => {
    const request = buildRequest({ ...jobs, namespace: undefined }, { verb: "watch", query: { allowWatchBookmarks: true, resourceVersion: "12" } });
    expect(request.method).toBe("GET");
    expect(request.path).toBe("/apis/batch/v1/jobs?allowWatchBookmarks=true&resourceVersion=12&watch=true");
  });

  it("create: POST of the JSON body to the collection", () => {
    const request = buildRequest(jobs, { verb: "create", body: job, query: { fieldManager: "me", dryRun: "All" } });
    expect(request).toEqual({
      method: "POST",
      path: "/apis/batch/v1/namespaces/ns/jobs?dryRun=All&fieldManager=me",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify(job),
    });
  });

  it("create on a subresource: POST to <parent>/<subresource>", () => {
    const eviction = { apiVersion: "policy/v1beta1", kind: "Eviction", metadata: { name: "p" } };
    const request = buildRequest({ group: "", version: "v1", plural: "pods", namespace: "ns", subresource: "eviction" }, { verb: "create", name: "p", body: eviction });
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/api/v1/namespaces/ns/pods/p/eviction");
    expect(JSON.parse(request.body!)).toEqual(eviction);
  });

  it("update: PUT of the body to the object (or its subresource)", () => {
    expect(buildRequest(jobs, { verb: "update", name: "pi", body: job })).toMatchObject({ method: "PUT", path: "/apis/batch/v1/namespaces/ns/jobs/pi", body: JSON.stringify(job) });
    expect(buildRequest({ ...jobs, subresource: "status" }, { verb: "update", name: "pi", body: job }).path).toBe("/apis/batch/v1/namespaces/ns/jobs/pi/status");
  });

  it("update/create refuse bodies that are not objects", () => {
    expect(() => buildRequest(jobs, { verb: "update", name: "pi", body: [job] })).toThrow(/body: expected a Kubernetes object/);
    expect(() => buildRequest(jobs, { verb: "create", body: "x" })).toThrow(RequestValidationError);
  });

  it.each([
    ["merge", { spec: { suspend: true } }, "application/merge-patch+json"],
    ["strategic", { spec: { suspend: true } }, "application/strategic-merge-patch+json"],
    ["json", [{ op: "replace", path: "/spec/suspend", value: true }], "application/json-patch+json"],
  ] as const)("patch (%s): PATCH with its content type", (patchType, patch, contentType) => {
    const request = buildRequest(jobs, { verb: "patch", name: "pi", patch, patchType });
    expect(request.method).toBe("PATCH");
    expect(request.path).toBe("/apis/batch/v1/namespaces/ns/jobs/pi");
    expect(request.headers["content-type"]).toBe(contentType);
    expect(JSON.parse(request.body!)).toEqual(patch);
  });

  it("patch defaults to a merge patch", () => {
    expect(buildRequest(jobs, { verb: "patch", name: "pi", patch: {} }).headers["content-type"]).toBe("application/merge-patch+json");
  });

  it("apply: PATCH with the apply content type and a required fieldManager", () => {
    const request = buildRequest(jobs, { verb: "patch", name: "pi", patch: job, patchType: "apply", query: { fieldManager: "ci", force: true } });
    expect(request).toMatchObject({ method: "PATCH", path: "/apis/batch/v1/namespaces/ns/jobs/pi?fieldManager=ci&force=true" });
    expect(request.headers["content-type"]).toBe("application/apply-patch+yaml");
    expect(() => buildRequest(jobs, { verb: "patch", name: "pi", patch: job, patchType: "apply" })).toThrow(/fieldManager/);
  });

  it("delete: DELETE, with a DeleteOptions body only when options are given", () => {
    expect(buildRequest(jobs, { verb: "delete", name: "pi" })).toEqual({ method: "DELETE", path: "/apis/batch/v1/namespaces/ns/jobs/pi", headers: { accept: "application/json" } });
    const request = buildRequest(jobs, {
      verb: "delete",
      name: "pi",
      options: { propagationPolicy: "Foreground", gracePeriodSeconds: 0, dryRun: "All", preconditions: { uid: "u1" } },
    });
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body!)).toEqual({
      kind: "DeleteOptions",
      apiVersion: "v1",
      propagationPolicy: "Foreground",
      gracePeriodSeconds: 0,
      dryRun: ["All"],
      preconditions: { uid: "u1" },
    });
    expect(() => buildRequest(jobs, { verb: "delete", name: "pi", options: { gracePeriodSeconds: -5 } })).toThrow(/gracePeriodSeconds/);
  });

  it("deletecollection: DELETE on the collection with selectors", () => {
    const request = buildRequest(jobs, { verb: "deletecollection", query: { labelSelector: "a=b" }, options: { propagationPolicy: "Background" } });
    expect(request.method).toBe("DELETE");
    expect(request.path).toBe("/apis/batch/v1/namespaces/ns/jobs?labelSelector=a%3Db");
    expect(JSON.parse(request.body!)).toMatchObject({ propagationPolicy: "Background" });
  });

  it("validates the name of every verb that takes one", () => {
    for (const verb of ["get", "delete"] as const) expect(() => buildRequest(jobs, { verb, name: "a/b" })).toThrow(/invalid name/);
    expect(() => buildRequest(jobs, { verb: "patch", name: "..", patch: {} })).toThrow(/invalid name/);
  });
});
