import { describe, expect, it } from "vitest";
import { buildQuery, RequestValidationError } from "../../../runtime/request/index.js";

describe("buildQuery", () => {
  it("is empty without options", () => {
    expect(buildQuery(undefined)).toBe("");
    expect(buildQuery({})).toBe("");
    expect(buildQuery({ limit: undefined, labelSelector: undefined })).toBe("");
  });

  it("sorts keys, omits undefined and encodes values", () => {
    const query = buildQuery({
      watch: true,
      labelSelector: "app in (a,b),tier!=web",
      limit: 5,
      continue: "eyJ2IjoibWV0YS5rOHMuaW8vdjEi+/=",
      fieldSelector: "metadata.name=x",
      resourceVersion: undefined,
      allowWatchBookmarks: false,
    });
    expect(query).toBe(
      "?allowWatchBookmarks=false&continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEi%2B%2F%3D&fieldSelector=metadata.name%3Dx&labelSelector=app+in+%28a%2Cb%29%2Ctier%21%3Dweb&limit=5&watch=true",
    );
    expect(new URLSearchParams(query).get("labelSelector")).toBe("app in (a,b),tier!=web");
  });

  it("gives the same string whatever the key order", () => {
    expect(buildQuery({ fieldManager: "me", dryRun: "All", force: true })).toBe(buildQuery({ force: true, dryRun: "All", fieldManager: "me" }));
    expect(buildQuery({ fieldManager: "me", dryRun: "All", force: true })).toBe("?dryRun=All&fieldManager=me&force=true");
  });

  it("repeats array values", () => {
    expect(buildQuery({ exclude: ["etcd", "ping"], verbose: true })).toBe("?exclude=etcd&exclude=ping&verbose=true");
  });

  it("rejects values the server would refuse, naming the option", () => {
    expect(() => buildQuery({ limit: 0 })).toThrow(/query\.limit: 0 is not a positive integer/);
    expect(() => buildQuery({ limit: 1.5 })).toThrow(RequestValidationError);
    expect(() => buildQuery({ gracePeriodSeconds: -1 })).toThrow(/query\.gracePeriodSeconds/);
    expect(() => buildQuery({ timeoutSeconds: Number.NaN })).toThrow(/not a finite number/);
    expect(() => buildQuery({ dryRun: "Yes" as "All" })).toThrow(/only value is "All"/);
  });
});
