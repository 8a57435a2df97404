import { describe, expect, it } from "vitest";
import { runtimeEntryImport } from "../../../generator/emit/module.js";

describe("the runtime entries generated code imports", () => {
  it("are the plumbing and validate subpaths of the runtime package, never its front door", () => {
    expect(runtimeEntryImport("kubetyped/runtime", "plumbing")).toBe("kubetyped/runtime/plumbing");
    expect(runtimeEntryImport("kubetyped/runtime", "validate")).toBe("kubetyped/runtime/validate");
    expect(runtimeEntryImport("@scope/kubetyped/runtime", "validate")).toBe("@scope/kubetyped/runtime/validate");
  });
});
