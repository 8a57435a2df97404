import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, expect } from "vitest";

/** Handle kinds a leaked stream leaves behind: sockets (plain and TLS), listening servers, timers. */
const WATCHED_KINDS = ["TCPSocketWrap", "TLSWrap", "TCPServerWrap", "Timeout"] as const;
type Counts = Record<(typeof WATCHED_KINDS)[number], number>;

/** How many sockets, servers and timers the process holds now (`process.getActiveResourcesInfo()`). */
export function activeResourceCounts(): Counts {
  const counts = Object.fromEntries(WATCHED_KINDS.map((kind) => [kind, 0])) as Counts;
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind as keyof Counts]++;
  return counts;
}

function excess(now: Counts, before: Counts): Partial<Counts> {
  const over: Partial<Counts> = {};
  for (const kind of WATCHED_KINDS) if (now[kind] > before[kind]) over[kind] = now[kind] - before[kind];
  return over;
}

/**
 * Waits (up to `withinMs`) until the process holds no more sockets, servers or timers than `before`, and fails
 * naming what is left. Closing is asynchronous (a FIN, a `close` event), hence the short wait.
 */
export async function expectNoLeaksSince(before: Counts, withinMs = 2_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  let over = excess(activeResourceCounts(), before);
  while (Object.keys(over).length > 0 && Date.now() < deadline) {
    await sleep(25);
    over = excess(activeResourceCounts(), before);
  }
  expect(over, `handles left open after the test (before: ${JSON.stringify(before)})`).toEqual({});
}

/**
 * Checks after each test of the calling file that it left no socket, server or timer behind. The test must
 * close what it opened (clients, relays, informers, watches) before it ends. The baseline is taken in
 * `beforeEach`, so the framework's own handles (its hook timers) count on both sides.
 */
export function checkNoLeaksAfterEach(): void {
  let before: Counts | undefined;
  beforeEach(() => {
    before = activeResourceCounts();
  });
  afterEach(async () => {
    if (before) await expectNoLeaksSince(before);
  });
}
