// Watching bursts of changes, shared by the request scenarios, the many-watches rows and the interleaved
// watch-decoding rows (a plain module: importing a worker would run it).
import type { ContenderClient } from "../contenders/types.js";

export interface WatchPlan {
  namespace: string;
  /** Watches opened at once, each counting its own events. */
  watches: number;
  /** MODIFIED events each watch must see. */
  expectedPerWatch: number;
  /** Starts the burst once every watch has seen its first event; absent when the server sends it unasked. */
  trigger?: () => Promise<void>;
  timeoutMs?: number;
}

/**
 * Opens `watches` watches, waits until each saw its first event (the ADDED of a watch without
 * resourceVersion: the watch is connected), triggers the burst, and answers events per second over all
 * watches, from the first to the last MODIFIED event anywhere.
 */
export async function measureWatches(client: ContenderClient, plan: WatchPlan): Promise<{ eventsPerSecond: number; ms: number }> {
  let firstModifiedAt: number | undefined;
  let lastModifiedAt = 0;
  let modified = 0;
  const total = plan.watches * plan.expectedPerWatch;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const firsts: Array<Promise<void>> = [];
  const running: Array<{ stop(): Promise<void> }> = [];
  const deadline = setTimeout(() => resolveAll(), plan.timeoutMs ?? 60_000);
  try {
    for (let i = 0; i < plan.watches; i++) {
      let resolveFirst!: () => void;
      firsts.push(new Promise<void>((resolve) => (resolveFirst = resolve)));
      running.push(
        await client.watchPods(plan.namespace, (type) => {
          resolveFirst();
          if (type !== "MODIFIED") return;
          const now = performance.now();
          firstModifiedAt ??= now;
          lastModifiedAt = now;
          if (++modified >= total) resolveAll();
        }),
      );
    }
    await Promise.race([Promise.all(firsts), all]);
    await plan.trigger?.();
    await all;
  } finally {
    clearTimeout(deadline);
    await Promise.all(running.map((watch) => watch.stop()));
  }
  if (modified < total) throw new Error(`watch: saw ${modified} of ${total} MODIFIED events within ${Math.round((plan.timeoutMs ?? 60_000) / 1000)} s`);
  const ms = lastModifiedAt - firstModifiedAt!;
  return { eventsPerSecond: (total / ms) * 1000, ms };
}
