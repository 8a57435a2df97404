// Why: a hot loop that records distinct events (a counter in the note, one event per object) must not flood the server.
import { checkDuration, RequestValidationError } from "../request/validation.js";
import type { Clock } from "./clock.js";

/** How far an event recorder lets distinct events go; each bound defaults to client-go's. */
export interface EventRecorderLimits {
  /** Distinct events about one object sent at once, as client-go's spam filter allows; default 25. */
  perObjectBurst?: number | undefined;
  /** After the burst, one more event about that object per this many ms; default 300,000 (5 minutes). */
  perObjectRefillMs?: number | undefined;
  /** Objects whose budgets are remembered, the least recently used forgotten first; default 4,096 (client-go's LRU). */
  objectsRemembered?: number | undefined;
  /** Distinct events whose repeats are folded into a count, the stalest forgotten first; default 4,096. */
  seriesRemembered?: number | undefined;
  /** Event writes sent at once; default 4. */
  concurrentWrites?: number | undefined;
  /** Writes waiting for a free slot, past which new events are dropped; default 1,000 (client-go's queue). */
  queuedWrites?: number | undefined;
}

/** Every limit, set (each option may be given as undefined: not set). */
export type EventLimits = { readonly [K in keyof EventRecorderLimits]-?: number };

export const DEFAULT_EVENT_LIMITS: EventLimits = Object.freeze({
  perObjectBurst: 25,
  perObjectRefillMs: 5 * 60_000,
  objectsRemembered: 4_096,
  seriesRemembered: 4_096,
  concurrentWrites: 4,
  queuedWrites: 1_000,
});

/** `given` checked (whole numbers, at least 1; the queue may be 0; the refill a finite duration) over the defaults. */
export function eventLimits(given: EventRecorderLimits | undefined): EventLimits {
  const limits = { ...DEFAULT_EVENT_LIMITS, ...definedFields(given ?? {}) };
  checkDuration("limits.perObjectRefillMs", limits.perObjectRefillMs, "positive");
  for (const key of ["perObjectBurst", "objectsRemembered", "seriesRemembered", "concurrentWrites", "queuedWrites"] as const) {
    const value = limits[key];
    const least = key === "queuedWrites" ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < least) throw new RequestValidationError(`limits.${key}`, `${String(value)} is not a whole number of at least ${least}`);
  }
  return limits;
}

function definedFields(limits: EventRecorderLimits): Partial<EventLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
}

/** Token buckets per object: a burst, then one token per refill period. */
export class PerObjectBudget {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: EventLimits,
  ) {}

  /** Takes one token of `object`'s bucket; false when it has none left. */
  take(object: string): boolean {
    const { perObjectBurst: burst, perObjectRefillMs: refillMs, objectsRemembered } = this.limits;
    const now = this.clock.now();
    const bucket = this.#buckets.get(object) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / refillMs);
    this.#buckets.delete(object); // re-inserted last: the map's first key is the least recently used
    this.#buckets.set(object, { tokens: tokens >= 1 ? tokens - 1 : tokens, at: now });
    if (this.#buckets.size > objectsRemembered) this.#buckets.delete(this.#buckets.keys().next().value!);
    return tokens >= 1;
  }
}

/** Runs writes at most `concurrentWrites` at a time, with at most `queuedWrites` waiting. */
export class WriteQueue {
  readonly #waiting: Array<() => void> = [];
  #running = 0;

  constructor(private readonly limits: EventLimits) {}

  /** True when one more write would wait beyond the queue's bound. */
  get full(): boolean {
    return this.#running >= this.limits.concurrentWrites && this.#waiting.length >= this.limits.queuedWrites;
  }

  /** Runs `write` when a slot is free; queues past the bound too (callers check `full` for what may be dropped). */
  async run<T>(write: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limits.concurrentWrites) await new Promise<void>((start) => this.#waiting.push(start));
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
