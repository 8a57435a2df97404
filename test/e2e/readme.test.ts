import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { describeWithCluster } from "../support/cluster.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };

/** The command lines of the README's first fenced code block, comments stripped. */
function firstCommands(): string[] {
  const block = /```(?:bash|sh)\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
}

describe("README", () => {
  it("starts with two commands: the main job on the local control plane, then the tests", () => {
    expect(firstCommands()).toEqual(["npm ci && npm start", "npm test"]);
    expect(packageJson.scripts.start).toBe("npm run build --silent && node dist/scripts/demo.js");
    expect(packageJson.scripts.test).toMatch(/vitest run$/);
  });

  it(".ci/run runs exactly the README's test command with CI=true", () => {
    const ci = readFileSync(join(root, ".ci", "run"), "utf8");
    expect(ci).toMatch(/^export CI=true$/m);
    expect(ci.trim().split("\n").at(-1)).toBe(firstCommands()[1]);
  });
});

describeWithCluster("README's first command", () => {
  // `npm start` is `npm run build && node dist/scripts/demo.js`; npm test has just built dist, and
  // rebuilding it here would rewrite files other tests may be running from.
  it("starts a control plane, generates clients and runs the quickstart against them", async () => {
    const demo = join(root, "dist", "scripts", "demo.js");
    expect(existsSync(demo), `${demo} is missing: run the suite with npm test, which builds first`).toBe(true);
    const { stdout, stderr } = await run(process.execPath, [demo], { cwd: root, timeout: 240_000 });
    expect(stderr).toMatch(/installing \d+ CRDs: widgets\.demo\.kubetyped\.dev/);
    expect(stderr).toMatch(/generated \d+ group\/versions/);
    expect(stdout).toMatch(/^connected to https:\/\/127\.0\.0\.1:\d+ \(Kubernetes v1\.\d+\.\d+\)/m);
    expect(stdout).toContain("configmap kubetyped-quickstart: hello, typed world");
    expect(stdout).toContain("widget sprocket: size=medium");
    expect(existsSync(join(root, "generated", "demo.kubetyped.dev", "v1alpha1.ts"))).toBe(true);
  }, 300_000);
});
