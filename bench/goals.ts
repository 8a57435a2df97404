// The goals, as checks on table rows: each names the peer and the factor it needs.
import { advantage, type GoalCheck, type Row } from "./results.js";
import { FULL_GENERATION } from "./sections/generation.js";
import { INTERLEAVED_TABLE } from "./sections/interleaved.js";

const CLIENT_NODE = ["client-node-1", "client-node-0"] as const;

function atLeast(row: Omit<Row, "goals">, peer: string, factor: number, goal: string): GoalCheck {
  const ratio = advantage(row, "kubetyped", peer);
  if (ratio === undefined) return { goal, status: "n/a", detail: `no ${peer} or kubetyped number` };
  const detail = `${ratio.toFixed(2)}× vs ${peer}, needs ${Number(factor.toFixed(2))}×`;
  if (ratio >= factor) return { goal, status: "pass", detail };
  return { goal, status: "miss", detail: detail + floorNote(row, peer, factor) };
}

/**
 * When raw undici (our transport with nothing on top) misses the same factor, no client on undici can meet
 * it in this row: the server's own cost, Node's start-up or undici's size bound it. Said next to the miss.
 */
function floorNote(row: Omit<Row, "goals">, peer: string, factor: number): string {
  if (peer === "undici") return "";
  const floor = advantage(row, "undici", peer);
  return floor !== undefined && floor < factor ? `; raw undici itself reaches ${floor.toFixed(2)}×` : "";
}

export function goalsFor(tableId: string, row: Omit<Row, "goals">): GoalCheck[] {
  if (tableId === INTERLEAVED_TABLE) return row.metric === "throughput" ? [atLeast(row, "undici", 1 / 1.15, "within 1.15× of raw undici")] : [];
  if (tableId.startsWith("requests") && (row.metric === "throughput" || row.metric === "events/s")) {
    return [
      atLeast(row, "undici", 1 / 1.15, "within 1.15× of raw undici"),
      ...CLIENT_NODE.map((peer) => atLeast(row, peer, 2, "≥ 2× client-node throughput")),
    ];
  }
  if (tableId === "cold-start" && row.metric === "import + first request") return CLIENT_NODE.map((peer) => atLeast(row, peer, 3, "≥ 3× faster than client-node"));
  if (tableId === "bundle") return CLIENT_NODE.map((peer) => atLeast(row, peer, 5, "≥ 5× smaller than client-node"));
  if (tableId === "typecheck" && row.metric === "time") return CLIENT_NODE.map((peer) => atLeast(row, peer, 3, "≥ 3× faster than client-node"));
  if (tableId === "generation" && row.scenario === FULL_GENERATION && row.metric === "time") return [atLeast(row, "openapi-typescript", 1, "no slower than openapi-typescript")];
  return [];
}

/** The unchanged-regeneration goal compares two kubetyped rows, so it is checked on the finished table. */
export function regenerationGoal(full: number | undefined, unchanged: number | undefined): GoalCheck {
  const goal = "unchanged regeneration < 10% of a full one";
  if (full === undefined || unchanged === undefined) return { goal, status: "n/a", detail: "missing a generation number" };
  const share = unchanged / full;
  return { goal, status: share < 0.1 ? "pass" : "miss", detail: `${(share * 100).toFixed(1)}% of the full generation` };
}
