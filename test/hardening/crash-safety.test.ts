import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { describeWithSharedData } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";

/**
 * SIGKILLs `kubetyped generate` at random moments of its write phase, many times, alternating two
 * inputs (OpenAPI 1.23 and 1.24, batch only) so the old and new trees differ. After every kill the output
 * folder must be exactly one of the two complete trees.
 */
const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
const cli = path.join(projectRoot, "bin", "kubetyped.js");
const KILLS = Number(process.env["KUBETYPED_CRASH_KILLS"] ?? 10);
const WRITE_PHASE = "writing ";

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the write phase's start to the exit (or the kill). */
  writePhaseMs: number;
}

/**
 * Runs the CLI; with `killAfterMs`, SIGKILLs it that long after it announces the write phase, or with
 * `onStaging` that long after its staging folder appears (the file writes and renames take milliseconds).
 */
function runGenerator(from: string, out: string, killAfterMs?: number, onStaging = false): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "generate", "--from", from, "--groups", "batch", "--out", out, "--no-cache"], { stdio: ["ignore", "ignore", "pipe"] });
    let phaseStart: number | undefined;
    let stderr = "";
    const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (phaseStart === undefined && stderr.includes(WRITE_PHASE)) {
        phaseStart = performance.now();
        if (killAfterMs !== undefined && !onStaging) setTimeout(() => child.kill("SIGKILL"), killAfterMs);
        if (killAfterMs !== undefined && onStaging) {
          const staging = `${out}.tmp-${child.pid}`;
          const poll = setInterval(() => {
            if (child.exitCode !== null || child.signalCode !== null) clearInterval(poll);
            else if (existsSync(staging)) {
              clearInterval(poll);
              setTimeout(() => child.kill("SIGKILL"), killAfterMs);
            }
          }, 1);
        }
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(deadline);
      if (killAfterMs === undefined && code !== 0) reject(new Error(`kubetyped generate exited ${code ?? signal}: ${stderr}`));
      else resolve({ code, signal, writePhaseMs: phaseStart === undefined ? -1 : performance.now() - phaseStart });
    });
  });
}

async function treeHash(root: string): Promise<string | undefined> {
  if (!existsSync(root)) return undefined;
  const hash = createHash("sha256");
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const relative = `${prefix}${entry.name}`;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), `${relative}/`);
      else hash.update(`${relative}\u0000`).update(await readFile(path.join(dir, entry.name))).update("\u0000");
    }
  };
  await walk(root, "");
  return hash.digest("hex");
}

describeWithSharedData("openapi-v3", "crash safety: SIGKILL during writing leaves the old tree or the new one", (openapi) => {
  const inputs = [path.join(openapi, "1.23"), path.join(openapi, "1.24")];
  const figures = { kills: 0, survived: 0, old: 0, new: 0, leftovers: 0 };
  afterAll(() =>
    console.log(
      `crash safety: ${figures.survived}/${figures.kills} SIGKILLs survived (${figures.old} left the old tree, ${figures.new} the new one); ${figures.leftovers} staging/backup folders left beside the output`,
    ),
  );

  it(`survives ${KILLS} kills at random points of the write phase`, async () => {
    if (!existsSync(path.join(projectRoot, "dist", "generator", "cli", "main.js"))) {
      throw new Error("dist/generator/cli/main.js is missing: run `npm run build` first (`npm test` does)");
    }
    const root = await makeTempDir("crash-");
    const references = await Promise.all(inputs.map((input, index) => runGenerator(input, path.join(root, `reference-${index}`))));
    const hashes = await Promise.all(inputs.map((_, index) => treeHash(path.join(root, `reference-${index}`))));
    expect(hashes[0]).not.toBe(hashes[1]);
    const phaseMs = Math.max(...references.map((run) => run.writePhaseMs));
    expect(phaseMs).toBeGreaterThan(0);

    const out = path.join(root, "out");
    await runGenerator(inputs[0]!, out);
    let current = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const next = 1 - current;
      // Every other kill lands while files are written and renamed; the rest anywhere in the write phase.
      const onStaging = kill % 2 === 0;
      const delay = onStaging ? Math.random() * 15 : Math.random() * phaseMs;
      const run = await runGenerator(inputs[next]!, out, delay, onStaging);
      figures.kills++;
      const found = await treeHash(out);
      const state = found === hashes[current] ? "old" : found === hashes[next] ? "new" : "broken";
      const siblings = (await readdir(root)).filter((name) => name.startsWith("out."));
      expect(state, `kill ${kill} after ${delay.toFixed(0)} ms (${run.signal ?? run.code}): output is ${found === undefined ? "missing" : "neither tree"}; beside it: ${siblings.join(", ")}`).not.toBe("broken");
      figures.survived++;
      figures[state === "old" ? "old" : "new"]++;
      if (state === "new") current = next;
    }
    figures.leftovers = (await readdir(root)).filter((name) => name.startsWith("out.")).length;

    // A complete run afterwards gives the right tree, and cleans up the staging and backup folders of killed runs.
    await runGenerator(inputs[1 - current]!, out);
    expect(await treeHash(out)).toBe(hashes[1 - current]);
    expect((await readdir(root)).filter((entry) => entry.startsWith("out."))).toEqual([]);
  }, 600_000);
});
