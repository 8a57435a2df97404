// Why: a hot loop that records distinct events (a counter in the note, one event per object) must not flood the server.
import type { Clock } from "./clock.js";

/** client-go's spam filter: 25 events about one object at once, then one more every 5 minutes. */
export const EVENTS_PER_OBJECT_BURST = 25;
export const EVENT_PER_OBJECT_REFILL_MS = 5 * 60_000;
/** Objects whose budgets are remembered (least recently used forgotten first), as client-go's LRU of 4,096. */
const OBJECTS_REMEMBERED = 4_096;
/** Writes waiting for their turn (client-go's broadcaster queues 1,000 events) and writes sent at once. */
export const MAX_QUEUED_WRITES = 1_000;
export const MAX_CONCURRENT_WRITES = 4;

/** Token buckets per object: a burst, then one token per refill period. */
export class PerObjectBudget {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly clock: Clock) {}

  /** Takes one token of `object`'s bucket; false when it has none left. */
  take(object: string): boolean {
    const now = this.clock.now();
    const bucket = this.#buckets.get(object) ?? { tokens: EVENTS_PER_OBJECT_BURST, at: now };
    const tokens = Math.min(EVENTS_PER_OBJECT_BURST, bucket.tokens + (now - bucket.at) / EVENT_PER_OBJECT_REFILL_MS);
    this.#buckets.delete(object); // re-inserted last: the map's first key is the least recently used
    this.#buckets.set(object, { tokens: tokens >= 1 ? tokens - 1 : tokens, at: now });
    if (this.#buckets.size > OBJECTS_REMEMBERED) this.#buckets.delete(this.#buckets.keys().next().value!);
    return tokens >= 1;
  }
}

/** Runs writes at most `MAX_CONCURRENT_WRITES` at a time, with at most `MAX_QUEUED_WRITES` waiting. */
export class WriteQueue {
  readonly #waiting: Array<() => void> = [];
  #running = 0;

  /** True when one more write would wait beyond the queue's bound. */
  get full(): boolean {
    return this.#running >= MAX_CONCURRENT_WRITES && this.#waiting.length >= MAX_QUEUED_WRITES;
  }

  /** Runs `write` when a slot is free; queues past the bound too (callers check `full` for what may be dropped). */
  async run<T>(write: () => Promise<T>): Promise<T> {
    if (this.#running >= MAX_CONCURRENT_WRITES) await new Promise<void>((start) => this.#waiting.push(start));
    else this.#running++;
    try {
      return await write();
    } finally {
      const next = this.#waiting.shift();
      if (next) next(); // the slot passes to the next write
      else this.#running--;
    }
  }
}
