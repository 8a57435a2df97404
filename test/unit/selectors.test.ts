import { describe, expect, it } from "vitest";
import { doesNotExist, exists, fields, labels, labelsFromSelector, notEqual, notIn, RequestValidationError } from "../../runtime/index.js";
import { escapeFieldValue } from "../../runtime/entries/plumbing.js";

describe("labels", () => {
  it("writes equality, set-based and existence requirements in the order given", () => {
    expect(labels({ app: "web", tier: ["a", "b"] })).toBe("app=web,tier in (a,b)");
    expect(labels({ "app.kubernetes.io/name": "api", env: notIn("dev", "test"), canary: exists(), legacy: doesNotExist(), track: notEqual("stable") })).toBe(
      "app.kubernetes.io/name=api,env notin (dev,test),canary,!legacy,track!=stable",
    );
    expect(labels({})).toBe("");
  });

  it("treats set values as a set: sorted, without duplicates, and an empty value allowed", () => {
    expect(labels({ tier: ["b", "a", "b"] })).toBe("tier in (a,b)");
    expect(labels({ tier: notIn("z", "") })).toBe("tier notin (,z)");
    expect(labels({ owner: "" })).toBe("owner=");
  });

  it("rejects keys and values Kubernetes would reject, naming the key and the rule", () => {
    expect(() => labels({ "bad key": "x" })).toThrow(RequestValidationError);
    expect(() => labels({ "bad key": "x" })).toThrow(/labelSelector key "bad key": name "bad key" must be 1–63 characters/);
    expect(() => labels({ "Example.com/name": "x" })).toThrow(/prefix "Example.com" must be a DNS subdomain/);
    expect(() => labels({ ["a".repeat(64)]: "x" })).toThrow(/must be 1–63 characters/);
    expect(() => labels({ "/name": "x" })).toThrow(/prefix "" must be a DNS subdomain/);
    expect(() => labels({ app: "web,tier=x" })).toThrow(/labelSelector\["app"\]: value "web,tier=x" must be empty or 1–63 characters/);
    expect(() => labels({ app: "-web" })).toThrow(/starting and ending with a letter or digit/);
    expect(() => labels({ app: "x".repeat(64) })).toThrow(RequestValidationError);
    expect(() => labels({ tier: [] })).toThrow(/`in` needs at least one value/);
    expect(() => labels({ tier: notIn() })).toThrow(/`notIn` needs at least one value/);
    expect(() => labels({ app: 3 as unknown as string })).toThrow(/expected a string, a list of strings, or exists\(\)/);
  });

  it("accepts the longest valid key: a 253-character prefix and a 63-character name", () => {
    const prefix = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;
    expect(prefix).toHaveLength(253);
    const key = `${prefix}/${"n".repeat(63)}`;
    expect(labels({ [key]: "v" })).toBe(`${key}=v`);
    expect(() => labels({ [`${prefix}e/n`]: "v" })).toThrow(/must be a DNS subdomain/);
  });
});

describe("labelsFromSelector", () => {
  it("turns a metav1.LabelSelector (matchLabels, then matchExpressions) into the query string", () => {
    expect(
      labelsFromSelector({
        matchLabels: { app: "web" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["b", "a"] },
          { key: "env", operator: "NotIn", values: ["dev"] },
          { key: "canary", operator: "Exists" },
          { key: "legacy", operator: "DoesNotExist" },
        ],
      }),
    ).toBe("app=web,tier in (a,b),env notin (dev),canary,!legacy");
    expect(labelsFromSelector({})).toBe("");
  });

  it("names the expression with an unknown operator", () => {
    expect(() => labelsFromSelector({ matchExpressions: [{ key: "a", operator: "Exists" }, { key: "b", operator: "Gt", values: ["1"] }] })).toThrow(
      'invalid labelSelector.matchExpressions[1].operator: "Gt" is not one of In, NotIn, Exists, DoesNotExist',
    );
  });
});

describe("fields", () => {
  it("writes = and != requirements with values escaped as the server unescapes them", () => {
    expect(fields({ "metadata.name": "x", "status.phase": ["!=", "Running"] })).toBe("metadata.name=x,status.phase!=Running");
    expect(fields({ "spec.nodeName": ["==", "node-1"], "metadata.namespace": ["=", "a"] })).toBe("spec.nodeName=node-1,metadata.namespace=a");
    expect(fields({ "metadata.name": "a,b=c\\d" })).toBe("metadata.name=a\\,b\\=c\\\\d");
    expect(fields({})).toBe("");
    expect(fields({ "metadata.name": undefined })).toBe("");
  });

  it("escapes every special character once", () => {
    expect(escapeFieldValue("plain")).toBe("plain");
    expect(escapeFieldValue("\\,=")).toBe("\\\\\\,\\=");
  });

  it("rejects malformed paths, set-based operators and non-string values", () => {
    expect(() => fields({ "metadata name": "x" })).toThrow(/fieldSelector key "metadata name": must be a dotted field path/);
    expect(() => fields({ "status.phase=": "x" })).toThrow(RequestValidationError);
    expect(() => fields({ "status.phase": ["in", "Running"] as unknown as ["=", string] })).toThrow(/operator "in" is not "=", "==" or "!="/);
    expect(() => fields({ "status.phase": ["!=", 3] as unknown as ["!=", string] })).toThrow(/expected a string value, got number/);
    expect(() => fields({ "status.phase": 3 as unknown as string })).toThrow(/expected a string or \["=" \| "!=", value\]/);
  });
});
