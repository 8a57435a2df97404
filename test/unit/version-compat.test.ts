import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RUNTIME_VERSION_RANGE } from "../../generator/version.js";
import { RUNTIME_VERSION, RuntimeVersionError } from "../../runtime/index.js";
import { defineResource, RUNTIME_COMPATIBILITY } from "../../runtime/entries/plumbing.js";
import { assertRuntimeCompatible, compatibilityLine } from "../../runtime/core/version.js";

const packageJson = JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8")) as { version: string };

describe("runtime version", () => {
  it("is package.json's version, and its compatibility line follows from it", () => {
    expect(RUNTIME_VERSION, "runtime/version.ts RUNTIME_VERSION must equal package.json's version: update it on release").toBe(packageJson.version);
    expect(RUNTIME_COMPATIBILITY).toBe(compatibilityLine(packageJson.version));
  });

  it("is what the generator's manifest asks for (runtimeVersion)", () => {
    expect(RUNTIME_VERSION_RANGE).toBe(`^${RUNTIME_VERSION}`);
  });

  it("derives the line npm's ^ range would keep: the major, or 0.minor before 1.0", () => {
    expect(compatibilityLine("1.4.2")).toBe("1");
    expect(compatibilityLine("12.0.0-rc.1")).toBe("12");
    expect(compatibilityLine("0.3.1")).toBe("0.3");
    expect(compatibilityLine("v0.10.0")).toBe("0.10");
    expect(compatibilityLine("one")).toBeUndefined();
  });
});

describe("generated descriptors from another runtime line", () => {
  const fields = { group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true, verbs: ["get"] } as const;

  it("are accepted when they name this line or none (hand-written descriptors)", () => {
    expect(defineResource<object>()({ ...fields, runtime: RUNTIME_COMPATIBILITY }).runtime).toBe(RUNTIME_COMPATIBILITY);
    expect(Object.isFrozen(defineResource<object>()(fields))).toBe(true);
  });

  it("are refused at definition with a message naming the module, both versions and the fix", () => {
    const stale = { ...fields, runtime: "7" } as unknown as typeof fields;
    expect(() => defineResource<object>()(stale)).toThrow(RuntimeVersionError);
    let error: RuntimeVersionError | undefined;
    try {
      assertRuntimeCompatible(stale);
    } catch (caught) {
      error = caught as RuntimeVersionError;
    }
    expect(error?.module).toBe("batch/v1");
    expect(error?.generatedFor).toBe("7");
    expect(error?.message).toBe(
      `generated module batch/v1 (resource jobs) was generated for kubetyped/runtime 7.x.x, but kubetyped/runtime ${RUNTIME_VERSION} is installed ` +
        `(${RUNTIME_COMPATIBILITY}.x): regenerate it with this version (npx kubetyped generate --out <folder>), ` +
        "or install the kubetyped version it was generated with (npm install kubetyped@^7.0.0)",
    );
    expect(() => assertRuntimeCompatible({ group: "", version: "v1", plural: "pods", runtime: "0.0" })).toThrow(
      /^generated module core\/v1 \(resource pods\) was generated for kubetyped\/runtime 0\.0\.x, .*npm install kubetyped@~0\.0\.0\)$/,
    );
  });

  it("fail to type-check as well: the marker's type is this line's literal", () => {
    // @ts-expect-error a descriptor generated for another line is not a ResourceDescriptor of this runtime
    expect(() => defineResource<object>()({ ...fields, runtime: "2" })).toThrow(RuntimeVersionError);
  });
});
