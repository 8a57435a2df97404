import { describe, expect, it } from "vitest";
import { goalsFor, regenerationGoal } from "../../../bench/goals.js";
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
