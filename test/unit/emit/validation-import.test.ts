import { describe, expect, it } from "vitest";
import { runtimeEntryImport } from "../../../generator/emit/module.js";

describe("the runtime entries generated code imports", () => {
  it("are the plumbing and validate subpaths of the runtime package, never its front door", () => {
    expect(runtimeEntryImport("kubetyped/runtime", "plumbing")).toBe("kubetyped/runtime/plumbing");
    expect(runtimeEntryImport("kubetyped/runtime", "validate")).toBe("kubetyped/runtime/validate");
    expect(runtimeEntryImport("@scope/kubetyped/runtime", "validate")).toBe("@scope/kubetyped/runtime/validate");
  });
});

describe("the validator modules generated", () => {
  it("import only the validator modules written beside them; a reference into one not written constrains nothing", async () => {
    const { validationFiles } = await import("../../../generator/emit/validation.js");
    const model = {
      modules: [],
      groups: [{ versions: [{ key: "batch/v1", resources: [] }] }],
      validation: {
        modules: new Map([
          ["batch/v1", { Job: { properties: { spec: { $ref: "io.k8s.api.scheduling/v1alpha3#PodGroup" }, meta: { $ref: "batch/v1#Meta" } } }, Meta: {} }],
          ["io.k8s.api.scheduling/v1alpha3", { PodGroup: { type: "object" } }],
        ]),
      },
    } as unknown as Parameters<typeof validationFiles>[0];
    const files = [...validationFiles(model, "0.0.0-test", "kubetyped/runtime")];
    expect(files.map((file) => file.path)).toEqual(["batch/v1.validate.ts"]);
    expect(files[0]!.content).not.toMatch(/^import \* as/m);
  });
});
