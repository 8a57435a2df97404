import { describe, expect, it } from "vitest";
import { PATCH_CONTENT_TYPES, patchContentType, serializePatch, type PatchType } from "../../../runtime/request/index.js";

describe("patch content types", () => {
  it.each([
    ["json", "application/json-patch+json"],
    ["merge", "application/merge-patch+json"],
    ["strategic", "application/strategic-merge-patch+json"],
    ["apply", "application/apply-patch+yaml"],
  ] as const)("%s patches are sent as %s", (type, contentType) => {
    expect(patchContentType(type)).toBe(contentType);
    expect(PATCH_CONTENT_TYPES[type]).toBe(contentType);
  });

  it("rejects unknown types, listing the valid ones", () => {
    expect(() => patchContentType("xml" as PatchType)).toThrow(/"xml" is unknown; use one of json, merge, strategic, apply/);
    expect(() => patchContentType("toString" as PatchType)).toThrow(/unknown/);
  });

  it("checks the patch's shape against its type", () => {
    expect(serializePatch("json", [{ op: "remove", path: "/a" }])).toBe('[{"op":"remove","path":"/a"}]');
    expect(() => serializePatch("json", { a: 1 })).toThrow(/array of operations/);
    expect(serializePatch("merge", { a: null })).toBe('{"a":null}');
    expect(() => serializePatch("merge", [1])).toThrow(/"merge" patch is an object/);
    expect(() => serializePatch("strategic", null)).toThrow(/"strategic" patch is an object/);
    expect(serializePatch("apply", "apiVersion: v1\nkind: ConfigMap\n")).toBe("apiVersion: v1\nkind: ConfigMap\n");
  });
});
