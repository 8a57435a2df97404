import { describe, expect, it } from "vitest";
import { main, type CliIo } from "../../../generator/cli/main.js";

function captureIo(): CliIo & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text), env: {}, stderrIsTty: false };
  return io;
}

describe("generate --cache-dir / --no-cache", () => {
  it("documents both flags and the default folder in the help", async () => {
    const io = captureIo();
    expect(await main(["generate", "--help"], io)).toBe(0);
    expect(io.out).toMatch(/^ {2}--cache-dir DIR +where OpenAPI documents read from a cluster are cached by content hash \(default: \$\{XDG_CACHE_HOME:-~\/\.cache\}\/kubetyped\/openapi\)$/m);
    expect(io.out).toMatch(/^ {2}--no-cache +fetch every OpenAPI document, neither reading nor writing the cache$/m);
    expect(io.out).toContain("[--cache-dir DIR | --no-cache]");
  });

  it("suggests the cache flags for near misses", async () => {
    for (const [typo, meant] of [["--no-cahce", "--no-cache"], ["--nocache", "--no-cache"], ["--cache-dri", "--cache-dir"], ["--cachedir", "--cache-dir"]]) {
      const io = captureIo();
      expect(await main(["generate", typo], io)).toBe(2);
      expect(io.err).toContain(`unknown flag ${typo} for \`kubetyped generate\`; did you mean ${meant}?`);
    }
  });

  it("rejects contradictory or pointless combinations as usage errors", async () => {
    const both = captureIo();
    expect(await main(["generate", "--cache-dir", "x", "--no-cache", "--from", "snap"], both)).toBe(2);
    expect(both.err).toBe("error: --cache-dir and --no-cache contradict each other; pass one\n");
    const withSnapshot = captureIo();
    expect(await main(["generate", "--from", "snap", "--cache-dir", "x"], withSnapshot)).toBe(2);
    expect(withSnapshot.err).toMatch(/^error: --cache-dir caches documents read from a cluster; --from reads a snapshot/);
  });

  it("describes what diff accepts", async () => {
    const io = captureIo();
    expect(await main(["diff", "--help"], io)).toBe(0);
    expect(io.out).toContain("the older snapshot, OpenAPI v3 folder or generated folder (required)");
  });
});
