import { describe, expect, it } from "vitest";
import { atMost, crossRowGoals, goalsFor, growthGoal, regenerationGoal, shareGoal } from "../../../bench/goals.js";
import { ResultCollector, type Row } from "../../../bench/results.js";

/** One throughput row of the request table, one run per contender. */
function throughputRow(values: Record<string, number>): Omit<Row, "goals"> {
  const collector = new ResultCollector();
  collector.table("requests-canned", "t", Object.keys(values));
  const spec = { scenario: "get", metric: "throughput", unit: "/s", better: "higher" as const };
  for (const [contender, value] of Object.entries(values)) collector.add("requests-canned", spec, contender, value);
  const [row] = collector.tables(() => [])[0]!.rows;
  return row!;
}

describe("bench goals", () => {
  it("passes within 1.15× of raw undici and fails below it", () => {
    const [near] = goalsFor("requests-canned", throughputRow({ kubetyped: 900, undici: 1000, "client-node-1": 100, "client-node-0": 100 }));
    const [far] = goalsFor("requests-canned", throughputRow({ kubetyped: 800, undici: 1000, "client-node-1": 100, "client-node-0": 100 }));
    expect(near).toMatchObject({ status: "pass", goal: "within 1.15× of raw undici" });
    expect(far).toMatchObject({ status: "miss", detail: "0.80× vs undici, needs 0.87×" });
  });

  it("says next to a miss when raw undici itself misses the same factor, and only then", () => {
    const bounded = goalsFor("requests-apiserver", throughputRow({ kubetyped: 140, undici: 150, "client-node-1": 100, "client-node-0": 60 }));
    expect(bounded[1]).toMatchObject({ status: "miss", detail: "1.40× vs client-node-1, needs 2×; raw undici itself reaches 1.50×" });
    expect(bounded[2]).toMatchObject({ status: "pass", detail: "2.33× vs client-node-0, needs 2×" });
    const ours = goalsFor("requests-apiserver", throughputRow({ kubetyped: 140, undici: 300, "client-node-1": 100, "client-node-0": 100 }));
    expect(ours[1]!.detail).toBe("1.40× vs client-node-1, needs 2×");
  });

  it("adopts CBOR only where it beats the runtime's JSON path, and prints no kubetyped ratios for the decoder table", async () => {
    const collector = new ResultCollector();
    collector.table("cbor", "t", ["json", "cbor"]);
    const decode = { scenario: "list", metric: "decode", unit: "objects/s", better: "higher" as const };
    const wire = { scenario: "list", metric: "on the wire", unit: "KB", better: "lower" as const };
    collector.add("cbor", decode, "json", 10_000);
    collector.add("cbor", decode, "cbor", 5_000);
    collector.add("cbor", wire, "json", 700);
    collector.add("cbor", wire, "cbor", 560);
    const [table] = collector.tables(goalsFor);
    expect(table!.rows.map((row) => row.goals)).toEqual([
      [{ goal: "CBOR decodes faster than JSON", status: "miss", detail: "cbor 0.50× json" }],
      [{ goal: "CBOR is smaller than JSON", status: "pass", detail: "cbor 1.25× json" }],
    ]);
    const { renderMarkdown } = await import("../../../bench/report.js");
    const info = { date: "d", mode: "quick" as const, machine: { cpus: 2, cpuModel: "c", memoryGb: 1, loadAverage: [0], node: "v20", platform: "p" }, versions: {}, targets: [], durationS: 1, notes: [] };
    expect(renderMarkdown([table!], info, {})).toContain("| scenario | metric | json | cbor | goals |");
  });

  it("holds the interleaved p99 within 1.2× of raw undici and cold start within 1.15×", () => {
    const row = (table: string, metric: string, values: Record<string, number>) => {
      const collector = new ResultCollector();
      collector.table(table, "t", Object.keys(values));
      const spec = { scenario: "s", metric, unit: "ms", better: "lower" as const };
      for (const [contender, value] of Object.entries(values)) collector.add(table, spec, contender, value);
      return collector.tables(() => [])[0]!.rows[0]!;
    };
    expect(goalsFor("requests-interleaved", row("requests-interleaved", "p99", { kubetyped: 5.9, undici: 5 }))).toEqual([
      { goal: "p99 within 1.2× of raw undici", status: "pass", detail: "0.85× vs undici, needs 0.83×" },
    ]);
    expect(goalsFor("requests-interleaved", row("requests-interleaved", "p99", { kubetyped: 6.1, undici: 5 }))[0]!.status).toBe("miss");
    const cold = goalsFor("cold-start", row("cold-start", "import + first request", { kubetyped: 240, undici: 180, "client-node-1": 900, "client-node-0": 900 }));
    expect(cold.map((goal) => goal.status)).toEqual(["miss", "pass", "pass"]);
    expect(cold[0]).toMatchObject({ goal: "within 1.15× of raw undici", detail: "0.75× vs undici, needs 0.87×" });
  });

  it("checks the unchanged regeneration against 10% of the full one", () => {
    expect(regenerationGoal(3000, 290).status).toBe("pass");
    expect(regenerationGoal(3000, 310)).toMatchObject({ status: "miss", detail: "10.3% of the full generation" });
  });
});

describe("contender order", () => {
  it("starts each round with the next contender and keeps every one in every round", async () => {
    const { contendersInTurn } = await import("../../../bench/sections/context.js");
    const { CONTENDERS } = await import("../../../bench/contenders/index.js");
    const firsts = CONTENDERS.map((_, index) => contendersInTurn(index + 1)[0]);
    expect(firsts).toEqual([...CONTENDERS]);
    for (let round = 1; round <= CONTENDERS.length + 1; round++) expect([...contendersInTurn(round)].sort()).toEqual([...CONTENDERS].sort());
    expect(contendersInTurn(CONTENDERS.length + 1)).toEqual(contendersInTurn(1));
  });
});

describe("scale goals", () => {
  it("checks decoding against client-node 1.x (1×) and raw undici (0.95×)", async () => {
    const { SCALE_DECODING_TABLE } = await import("../../../bench/sections/scale/watches.js");
    const collector = new ResultCollector();
    collector.table(SCALE_DECODING_TABLE, "t", ["kubetyped", "undici", "client-node-1"]);
    const spec = { scenario: "one watch", metric: "events/s", unit: "/s", better: "higher" as const };
    for (const [contender, value] of Object.entries({ kubetyped: 96, undici: 100, "client-node-1": 97 })) collector.add(SCALE_DECODING_TABLE, spec, contender, value);
    const [row] = collector.tables(goalsFor)[0]!.rows;
    expect(row!.goals).toEqual([
      { goal: "≥ 1× client-node 1.x", status: "miss", detail: "0.99× vs client-node-1, needs 1×" },
      { goal: "≥ 0.95× raw undici", status: "pass", detail: "0.96× vs undici, needs 0.95×" },
    ]);
  });

  it("calls growth superlinear when the value outgrows the size (exponent above 1.1)", () => {
    expect(growthGoal([{ n: 500, value: 10 }, { n: 1000, value: 19 }, { n: 2000, value: 38 }], "g", "CRDs")).toMatchObject({ status: "pass", detail: "CRDs 500: 10 → 1,000: 19 → 2,000: 38; ×3.80 for ×4.0, exponent 0.96" });
    expect(growthGoal([{ n: 500, value: 10 }, { n: 2000, value: 60 }], "g", "CRDs")).toMatchObject({ status: "miss" });
    expect(growthGoal([{ n: 500, value: undefined }, { n: 2000, value: 60 }], "g", "CRDs")).toMatchObject({ status: "n/a" });
  });

  it("checks shares of another row and absolute limits", () => {
    expect(shareGoal("g", 4, 100, 0.05)).toMatchObject({ status: "pass", detail: "4.0% of it" });
    expect(shareGoal("g", 6, 100, 0.05)).toMatchObject({ status: "miss", detail: "6.0% of it" });
    expect(shareGoal("g", undefined, 100, 0.05).status).toBe("n/a");
    const row = { unit: "MB", cells: { kubetyped: { median: 900, min: 900, max: 900, runs: [900] } } };
    expect(atMost(row, 1024, "≤ 1 GB")).toMatchObject({ status: "pass", detail: "900 MB, limit 1,024 MB" });
    expect(atMost({ ...row, cells: { kubetyped: { median: 1100, min: 1100, max: 1100, runs: [1100] } } }, 1024, "≤ 1 GB").status).toBe("miss");
  });

  it("puts the cross-row goals on the rows of the largest sizes", async () => {
    const { scaleRows, SCALE_GENERATION_TABLE } = await import("../../../bench/sections/scale/generation.js");
    const { ADDED_RSS, objectRows, SCALE_OBJECTS_TABLE } = await import("../../../bench/sections/scale/objects.js");
    const { QUICK } = await import("../../../bench/plan.js");
    const sizes = { ...QUICK, scale: { ...QUICK.scale, crdSeries: [10, 40], objectSeries: [300, 1200] } };
    const collector = new ResultCollector();
    collector.table(SCALE_GENERATION_TABLE, "g", ["kubetyped", "openapi-typescript"]);
    collector.table(SCALE_OBJECTS_TABLE, "o", ["kubetyped", "client-node-1"]);
    const add = (table: string, scenario: string, metric: string, values: Record<string, number>) => {
      for (const [contender, value] of Object.entries(values)) collector.add(table, { scenario, metric, unit: metric === "peak RSS" ? "MB" : "ms", better: "lower" }, contender, value);
    };
    add(SCALE_GENERATION_TABLE, scaleRows.full(10), "time", { kubetyped: 1000 });
    add(SCALE_GENERATION_TABLE, scaleRows.full(40), "time", { kubetyped: 3000, "openapi-typescript": 9000 });
    add(SCALE_GENERATION_TABLE, scaleRows.full(10), "peak RSS", { kubetyped: 100 });
    add(SCALE_GENERATION_TABLE, scaleRows.full(40), "peak RSS", { kubetyped: 200, "openapi-typescript": 300 });
    add(SCALE_GENERATION_TABLE, scaleRows.oneGroup(40), "time", { kubetyped: 120 });
    add(SCALE_GENERATION_TABLE, scaleRows.unchanged(40), "time", { kubetyped: 400 });
    add(SCALE_OBJECTS_TABLE, objectRows.informer(300), "peak RSS", { kubetyped: 70, "client-node-1": 100 });
    add(SCALE_OBJECTS_TABLE, objectRows.informer(1200), "peak RSS", { kubetyped: 100, "client-node-1": 200 });
    add(SCALE_OBJECTS_TABLE, objectRows["informer-metadata-lean"](1200), "peak RSS", { kubetyped: 30 });
    add(SCALE_OBJECTS_TABLE, objectRows.informer(1200), ADDED_RSS, { kubetyped: 80 });
    add(SCALE_OBJECTS_TABLE, objectRows["informer-metadata-lean"](1200), ADDED_RSS, { kubetyped: 10 });
    add(SCALE_OBJECTS_TABLE, objectRows["list-metadata-paginated"](1200), "peak RSS", { kubetyped: 27 });
    add(SCALE_OBJECTS_TABLE, objectRows["list-metadata-paginated"](300), ADDED_RSS, { kubetyped: 6 });
    const tables = collector.tables(() => []);
    crossRowGoals(tables, sizes);
    const goals = (table: string, scenario: string, metric: string) =>
      tables.find((t) => t.id === table)!.rows.find((r) => r.scenario === scenario && r.metric === metric)!.goals.map((g) => `${g.status}: ${g.goal}`);
    expect(goals(SCALE_GENERATION_TABLE, scaleRows.full(40), "time")).toEqual(["pass: 40 CRDs: no slower than openapi-typescript", "pass: no superlinear growth of time"]);
    expect(goals(SCALE_GENERATION_TABLE, scaleRows.full(40), "peak RSS")).toEqual(["pass: 40 CRDs: ≤ 1 GB peak RSS", "pass: no superlinear growth of peak RSS"]);
    expect(goals(SCALE_GENERATION_TABLE, scaleRows.oneGroup(40), "time")).toEqual(["pass: one-group generation ≤ 5% of the full one"]);
    expect(goals(SCALE_GENERATION_TABLE, scaleRows.unchanged(40), "time")).toEqual(["miss: unchanged regeneration ≤ 10% of a full one"]);
    expect(goals(SCALE_OBJECTS_TABLE, objectRows.informer(1200), "peak RSS")).toEqual(["pass: 1,200-object informer ≤ 0.6× client-node's RSS", "pass: no superlinear growth of peak RSS"]);
    // Judged once, on what each informer adds; the whole-process share (30% here) is said in the detail, not judged.
    expect(goals(SCALE_OBJECTS_TABLE, objectRows["informer-metadata-lean"](1200), "peak RSS")).toEqual([]);
    expect(goals(SCALE_OBJECTS_TABLE, objectRows["informer-metadata-lean"](1200), ADDED_RSS)).toEqual([`pass: metadata-only informer (managedFields dropped) ≤ 0.25× of the full one (${ADDED_RSS})`]);
    expect(goals(SCALE_OBJECTS_TABLE, objectRows.informer(300), "peak RSS")).toEqual([]);
    // The metadata list at the largest size is the floor under the whole-process share.
    const detail = tables.find((t) => t.id === SCALE_OBJECTS_TABLE)!.rows.find((r) => r.scenario === objectRows["informer-metadata-lean"](1200) && r.metric === ADDED_RSS)!.goals[0]!.detail;
    expect(detail).toBe("12.5% of it; of whole-process peak RSS 30.0%, where paging the same metadata, keeping none, alone reaches 27.0%");
  });
});
