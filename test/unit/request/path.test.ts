import { describe, expect, it } from "vitest";
import { buildResourcePath, RequestValidationError, validateNamespace } from "../../../runtime/request/index.js";

describe("buildResourcePath", () => {
  it("puts the core group under /api and named groups under /apis", () => {
    expect(buildResourcePath({ group: "", version: "v1", plural: "configmaps", namespace: "default" })).toBe("/api/v1/namespaces/default/configmaps");
    expect(buildResourcePath({ group: "batch", version: "v1", plural: "jobs", namespace: "ns1", name: "pi" })).toBe("/apis/batch/v1/namespaces/ns1/jobs/pi");
  });

  it("leaves the namespace out for cluster-scoped resources and all-namespace lists", () => {
    expect(buildResourcePath({ group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles", name: "view" })).toBe("/apis/rbac.authorization.k8s.io/v1/clusterroles/view");
    expect(buildResourcePath({ group: "", version: "v1", plural: "pods" })).toBe("/api/v1/pods");
  });

  it("appends subresources after the name", () => {
    expect(buildResourcePath({ group: "batch", version: "v1", plural: "jobs", namespace: "d", name: "pi", subresource: "status" })).toBe("/apis/batch/v1/namespaces/d/jobs/pi/status");
    expect(buildResourcePath({ group: "", version: "v1", plural: "serviceaccounts", namespace: "d", name: "sa", subresource: "token" })).toBe("/api/v1/namespaces/d/serviceaccounts/sa/token");
    expect(() => buildResourcePath({ group: "batch", version: "v1", plural: "jobs", subresource: "status" })).toThrow(/needs an object name/);
  });

  it("percent-encodes names but keeps ':' and '@' readable", () => {
    expect(buildResourcePath({ group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles", name: "system:auth-delegator" })).toBe(
      "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:auth-delegator",
    );
    expect(buildResourcePath({ group: "", version: "v1", plural: "secrets", namespace: "d", name: "a b+c&d=é@x" })).toBe("/api/v1/namespaces/d/secrets/a%20b%2Bc%26d%3D%C3%A9@x");
  });

  const hostile: Array<[string, RegExp]> = [
    ["", /name: must not be empty/],
    [".", /name: "\." would address a different path/],
    ["..", /name: "\.\." would address a different path/],
    ["a/b", /contains "\/"/],
    ["../../secrets", /would address|contains "\/"/],
    ["a%2fb", /contains "%"/],
    ["a?watch=true", /contains "\?"/],
    ["a#frag", /contains "#"/],
    ["a\nb", /control character/],
    ["a\u0000", /control character/],
    ["x".repeat(254), /254 characters long, the limit is 253/],
  ];
  it.each(hostile)("rejects the name %j with the reason", (name, reason) => {
    let caught: unknown;
    try {
      buildResourcePath({ group: "", version: "v1", plural: "configmaps", namespace: "d", name });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RequestValidationError);
    expect((caught as RequestValidationError).argument).toBe("name");
    expect((caught as Error).message).toMatch(reason);
  });

  it("accepts a name of exactly 253 characters", () => {
    expect(buildResourcePath({ group: "", version: "v1", plural: "configmaps", namespace: "d", name: "x".repeat(253) })).toMatch(/x{253}$/);
  });

  it("holds namespaces to DNS label rules", () => {
    expect(validateNamespace("kube-system")).toBe("kube-system");
    expect(() => validateNamespace("Kube")).toThrow(/namespace: "Kube" is not a DNS label/);
    expect(() => validateNamespace("-a")).toThrow(/not a DNS label/);
    expect(() => validateNamespace("a_b")).toThrow(/not a DNS label/);
    expect(() => validateNamespace("a".repeat(64))).toThrow(/64 characters long, the limit is 63/);
    expect(() => buildResourcePath({ group: "", version: "v1", plural: "pods", namespace: "../kube-system" })).toThrow(RequestValidationError);
  });

  it("rejects bad subresources, groups and versions", () => {
    expect(() => buildResourcePath({ group: "", version: "v1", plural: "pods", namespace: "d", name: "p", subresource: "Status" })).toThrow(/subresource: "Status" is not a subresource name/);
    expect(() => buildResourcePath({ group: "", version: "v1", plural: "pods", namespace: "d", name: "p", subresource: "../x" })).toThrow(/invalid subresource/);
    expect(() => buildResourcePath({ group: "Batch/..", version: "v1", plural: "jobs" })).toThrow(/invalid group/);
    expect(() => buildResourcePath({ group: "batch", version: "v1/..", plural: "jobs" })).toThrow(/invalid version/);
    expect(() => buildResourcePath({ group: "", version: "v1", plural: "../secrets" })).toThrow(/invalid plural/);
  });
});
