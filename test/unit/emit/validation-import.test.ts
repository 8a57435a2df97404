import { describe, expect, it } from "vitest";
import { validatorImportOf } from "../../../generator/emit/validation.js";

describe("the interpreter a generated .validate.ts imports", () => {
  it("is the runtime's validate entry beside the runtime the descriptors import, never the runtime's main entry", () => {
    expect(validatorImportOf("kubetyped/runtime")).toBe("kubetyped/runtime/validate");
    expect(validatorImportOf("../../runtime/index.js")).toBe("../../runtime/validate/index.js");
    expect(validatorImportOf("/abs/runtime/index.js")).toBe("/abs/runtime/validate/index.js");
  });
});
