// `npm run bench -- --quick` as a smoke test: every table, every scenario × contender either measured or
// marked "n/a: reason". No timing assertions; the numbers of a loaded CI box mean nothing.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { describeWithCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

const CONTENDERS = ["kubetyped", "undici", "client-node-1", "client-node-0", "fluent"];
const TABLES = ["requests-canned", "requests-apiserver", "requests-interleaved", "memory", "cold-start", "bundle", "typecheck", "generation", "port-forward"];
/** The scale section's tables and their columns (fewer peers: the big runs take long). */
const SCALE_TABLES: Record<string, string[]> = {
  "scale-watch-decoding": ["kubetyped", "undici", "client-node-1"],
  "scale-watches": ["kubetyped", "undici", "client-node-1"],
  "scale-objects": ["kubetyped", "undici", "client-node-1"],
  "scale-generation": ["kubetyped", "openapi-typescript"],
  "scale-apiserver": ["kubetyped"],
};
/** Tables with columns of their own (the CBOR section compares decoders, not clients). */
const OWN_COLUMNS: Record<string, string[]> = {
  ...SCALE_TABLES,
  "port-forward": ["loopback", "kubetyped", "kubetyped listen", "kubectl"],
  cbor: ["json", "json-batched", "cbor", "cbor-minimal", "cbor-x", "cbor2"],
  "validation-cost": ["Pod (core/v1, schema only)", "Gizmo (CRD, 5 CEL rules)"],
  "validators-unused": ["--no-validators", "validators (default)"],
};

type Cell = { median: number; min: number; max: number; runs: number[] } | { na: string };
interface Report {
  mode: string;
  machine: { cpus: number; node: string };
  versions: Record<string, string>;
  tables: Array<{ id: string; columns: string[]; rows: Array<{ scenario: string; metric: string; cells: Record<string, Cell> }> }>;
}

describeWithCluster("npm run bench -- --quick", (cluster) => {
  it("prints and writes every scenario for every contender, or says why not", async () => {
    const runner = join(root, "dist", "bench", "run.js");
    expect(existsSync(runner), `${runner} is missing: run the suite with npm test, which builds first`).toBe(true);
    const out = await makeTempDir("bench-smoke-");
    const workdir = join(root, ".tmp", `bench-smoke-${process.pid}`);
    try {
      const started = Date.now();
      const { stdout } = await run(process.execPath, [runner, "--quick", "--kubeconfig", cluster.kubeconfigPath, "--out", out, "--workdir", workdir], {
        cwd: root,
        timeout: 420_000,
        maxBuffer: 16 * 2 ** 20,
      });
      const seconds = (Date.now() - started) / 1000;
      const markdown = await readFile(join(out, "latest.md"), "utf8");
      const report = JSON.parse(await readFile(join(out, "latest.json"), "utf8")) as Report;

      expect(stdout).toBe(markdown);
      expect(report.mode).toBe("quick");
      expect(report.machine.node).toBe(process.version);
      expect(report.versions["@kubernetes/client-node"]).toMatch(/^1\./);
      expect(report.versions["client-node-0"]).toMatch(/^0\./);
      expect(report.tables.map((t) => t.id).sort()).toEqual([...TABLES, ...Object.keys(SCALE_TABLES), "cbor", "validation-cost", "validators-unused"].sort());
      for (const table of report.tables) {
        expect(table.rows.length, `${table.id} has rows`).toBeGreaterThan(0);
        for (const row of table.rows) {
          for (const column of table.columns) {
            const cell = row.cells[column];
            const where = `${table.id} / ${row.scenario} / ${row.metric} / ${column}`;
            expect(cell, where).toBeDefined();
            if ("na" in cell!) expect(cell.na.trim().length, `${where}: an n/a needs a reason`).toBeGreaterThan(0);
            else expect(Number.isFinite(cell!.median) && cell!.runs.length > 0, where).toBe(true);
          }
        }
        if (table.id === "requests-interleaved") expect(table.columns).toEqual(["kubetyped", "undici"]);
        else if (table.id in OWN_COLUMNS) expect(table.columns).toEqual(OWN_COLUMNS[table.id]);
        else if (table.id !== "generation") expect(table.columns).toEqual(CONTENDERS);
      }
      // Our own client and the floor must actually have run every request scenario on both targets.
      const interleaved = report.tables.find((t) => t.id === "requests-interleaved")!;
      expect(interleaved.rows.map((r) => `${r.scenario.split(" ")[0]} ${r.metric}`)).toEqual(["get throughput", "get p99", "list throughput", "list p99", "create throughput", "create p99"]);
      for (const row of interleaved.rows) for (const contender of ["kubetyped", "undici"]) expect(row.cells[contender], `interleaved / ${row.scenario} / ${contender}`).toMatchObject({ runs: [expect.any(Number), expect.any(Number)] });
      for (const id of ["requests-canned", "requests-apiserver"]) {
        const table = report.tables.find((t) => t.id === id)!;
        expect(table.rows.map((r) => r.scenario)).toEqual(expect.arrayContaining([expect.stringMatching(/^get/), expect.stringMatching(/^list/), "create a pod", "server-side apply a pod", expect.stringMatching(/^watch/)]));
        for (const row of table.rows) for (const contender of ["kubetyped", "undici"]) expect("median" in row.cells[contender]!, `${id} / ${row.scenario} / ${row.metric} / ${contender}`).toBe(true);
      }
      // The scale section ran its own rows: kubetyped measured a watch burst, big collections and a CRD cluster.
      const scale = (id: string) => report.tables.find((t) => t.id === id)!;
      for (const id of ["scale-watch-decoding", "scale-watches", "scale-objects", "scale-generation"]) {
        expect(scale(id).rows.some((row) => "median" in row.cells.kubetyped!), `${id} has kubetyped numbers`).toBe(true);
      }
      // The CBOR section started its own server with the gate on and timed both formats on every answer.
      const cbor = report.tables.find((t) => t.id === "cbor")!;
      expect(cbor.rows.map((r) => r.scenario)).toEqual(expect.arrayContaining([expect.stringMatching(/^ConfigMap list/), expect.stringMatching(/^Widget watch/)]));
      for (const row of cbor.rows.filter((r) => r.metric === "decode")) for (const column of ["json", "cbor", "cbor-minimal"]) expect("median" in row.cells[column]!, `cbor / ${row.scenario} / ${column}`).toBe(true);
      for (const label of ["kubetyped", "raw undici", "client-node 1.x", "client-node 0.x", "fluent-client", "openapi-typescript"]) expect(markdown).toContain(label);
      expect(markdown).toMatch(/\| (pass|\*\*miss\*\*|n\/a): /);
      console.info(`bench --quick took ${Math.round(seconds)} s`);
    } finally {
      await rm(workdir, { recursive: true, force: true });
    }
  }, 450_000);
});
