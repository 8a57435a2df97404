import { existsSync, statSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { describeWithSharedData, sharedK8sPath } from "../../support/shared-data.js";
import { makeTempDir, makeTempDirSync } from "../../support/tmp.js";

describe("sharedK8sPath", () => {
  it("points at ../shared/k8s beside the project root", () => {
    const projectRoot = dirname(dirname(dirname(dirname(fileURLToPath(import.meta.url)))));
    expect(sharedK8sPath("live", "api.json")).toBe(join(dirname(projectRoot), "shared", "k8s", "live", "api.json"));
  });
});

describeWithSharedData("README.md", "describeWithSharedData", (readme) => {
  it("hands over the absolute path of an existing entry", () => {
    expect(readme).toBe(sharedK8sPath("README.md"));
    expect(statSync(readme).isFile()).toBe(true);
  });
});

describe("makeTempDir", () => {
  it("creates distinct folders under the run's temp root", async () => {
    const first = await makeTempDir("harness");
    const second = makeTempDirSync("harness");
    expect(first).not.toBe(second);
    expect(existsSync(first) && existsSync(second)).toBe(true);
    expect(first.startsWith(inject("kubetypedTmpRoot") + sep)).toBe(true);
    expect(first.slice(first.lastIndexOf(sep) + 1)).toMatch(/^harness-/);
  });
});
