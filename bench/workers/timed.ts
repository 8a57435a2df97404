// The request loop every timed scenario shares (a plain module: importing a worker would run it).
import { latencyMetrics } from "../stats.js";

/**
 * Runs `operation` at least `count` times and for at least `minMs`, with `concurrency` in flight; answers
 * each latency and the elapsed time.
 */
export async function timed(count: number, concurrency: number, operation: (i: number) => Promise<unknown>, minMs = 0) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < count || performance.now() - started < minMs) {
      const i = next++;
      const begin = performance.now();
      await operation(i);
      latencies.push(performance.now() - begin);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return latencyMetrics(latencies, performance.now() - started);
}
