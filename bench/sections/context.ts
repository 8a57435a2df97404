import { CONTENDERS, type ContenderName } from "../contenders/index.js";
import type { BenchSizes } from "../plan.js";
import type { ResultCollector } from "../results.js";
import type { StartedTarget } from "../setup/targets.js";
import type { Workspace } from "../setup/workspace.js";

/** What every section of a run gets. */
export interface RunContext {
  root: string;
  /** Folder of the compiled bench (dist/bench), where the workers are. */
  benchDir: string;
  sizes: BenchSizes;
  quick: boolean;
  collector: ResultCollector;
  workspace: Workspace;
  canned: StartedTarget;
  /** Absent when no control plane could start; its rows then say why. */
  apiserver: StartedTarget | { unavailable: string };
  openApiFolder: string;
  log: (line: string) => void;
  runTag: string;
}

/** A target of the run: started, or why it could not be. */
export type TargetSlot = { id: "canned" | "apiserver"; started: StartedTarget } | { id: "apiserver"; unavailable: string };

export const targetsOf = (context: RunContext): TargetSlot[] => [
  { id: "canned", started: context.canned },
  "unavailable" in context.apiserver ? { id: "apiserver", unavailable: context.apiserver.unavailable } : { id: "apiserver", started: context.apiserver },
];

/**
 * The contenders in the order round `round` (from 1) runs them: each round starts with the next one, so
 * whatever the previous contender left the machine or server doing (etcd compaction after its writes, a
 * GC, a load spike) does not always land on the same client.
 */
export function contendersInTurn(round: number): ContenderName[] {
  const start = (round - 1) % CONTENDERS.length;
  return [...CONTENDERS.slice(start), ...CONTENDERS.slice(0, start)];
}
