import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runtimeEntries } from "../../scripts/bundle-runtime.js";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { exports: Record<string, { types?: string; default?: string }> };

describe("the runtime bundles package.json asks for", () => {
  it("bundle every runtime entry users import, each from the per-file build its types sit beside", () => {
    const runtimeExports = Object.entries(manifest.exports).filter(([subpath]) => subpath.startsWith("./runtime"));
    expect(runtimeExports.length).toBeGreaterThanOrEqual(2);
    for (const [subpath, target] of runtimeExports) expect(target.default, subpath).toMatch(/^\.\/dist\/runtime-bundle\//);
    const entries = runtimeEntries(manifest.exports);
    expect(entries["index"]).toBe("./dist/runtime/index.js");
    expect(entries["entries/validate"]).toBe("./dist/runtime/entries/validate.js");
    expect(entries["entries/plumbing"]).toBe("./dist/runtime/entries/plumbing.js");
    expect(Object.keys(entries)).toHaveLength(runtimeExports.length);
  });

  it("refuses an entry whose bundle and types disagree, naming it", () => {
    expect(() => runtimeEntries({ "./runtime/x": { types: "./dist/runtime/y/index.d.ts", default: "./dist/runtime-bundle/x/index.js" } })).toThrow(
      'package.json exports["./runtime/x"]: ./dist/runtime-bundle/x/index.js does not match its types ./dist/runtime/y/index.d.ts',
    );
    expect(() => runtimeEntries({ "./runtime/x": { types: "./dist/generator/x.d.ts", default: "./dist/runtime-bundle/x.js" } })).toThrow("needs its types under ./dist/runtime/");
  });
});
