// The controller's work queue: keys deduplicated while they wait, never handed out twice at once, retried with rate limits.
import { deferred, realClock, type Clock } from "./clock.js";
import { DelayedKeys } from "./delayed-keys.js";
import { exponentialBackoff, maxOf, tokenBucket, type RateLimiter } from "./rate-limit.js";

/** Retry limits and the clock of a work queue; the defaults are client-go's. */
export interface WorkQueueOptions<K = string> {
  /** First per-key retry delay; doubles per failure of that key. Default 5 ms. */
  baseDelayMs?: number | undefined;
  /** Cap of the per-key delay. Default 1,000,000 ms (1,000 s). */
  maxDelayMs?: number | undefined;
  /** Overall retries per second across all keys (token bucket). Default 10. */
  qps?: number | undefined;
  /** Retries the bucket lets through at once. Default 100. */
  burst?: number | undefined;
  /** Replaces the limiter built from the four options above. */
  rateLimiter?: RateLimiter<K> | undefined;
  /** Time source for delays and the bucket; tests pass a stepped one. */
  clock?: Clock | undefined;
}

/** How `shutdown` ends the queue. */
export interface ShutdownOptions {
  /** Drop the keys still waiting instead of handing them out first. Keys in progress are always waited for. */
  abandon?: boolean | undefined;
}

/**
 * A rate-limited work queue (client-go's `workqueue`): a key added while it waits is not added twice; a key
 * added while a worker holds it waits until that worker calls `done`, so no key is processed by two workers at
 * once and no change is missed.
 */
export interface WorkQueue<K = string> {
  /** Queues `key` unless it already waits; ignored after `shutdown`. */
  add(key: K): void;
  /** Queues `key` after `delayMs` (at once when ≤ 0); a key already scheduled keeps the earlier time. */
  addAfter(key: K, delayMs: number): void;
  /** Queues `key` after its rate-limited delay: per-key exponential backoff, at most the overall rate. */
  addRateLimited(key: K): void;
  /** `key` succeeded: its backoff starts over. It does not remove the key from the queue. */
  forget(key: K): void;
  /** How many rate-limited retries `key` has had since it was last forgotten. */
  retries(key: K): number;
  /** The next key to work on (now marked in progress), waiting for one; undefined once the queue is shut down and empty. */
  get(): Promise<K | undefined>;
  /** The worker finished `key`; if it was added meanwhile it is queued again. */
  done(key: K): void;
  /**
   * Accepts no more keys and drops the delayed ones. By default the keys already queued are still handed out
   * (drain); `{ abandon: true }` drops them too. Resolves when no key is in progress (and, draining, none is left).
   */
  shutdown(options?: ShutdownOptions): Promise<void>;
  /** Keys waiting to be handed out. */
  readonly length: number;
  /** Keys handed out whose `done` has not been called. */
  readonly processing: number;
  /** Keys waiting for their delay (`addAfter`, `addRateLimited`). */
  readonly delayed: number;
  readonly shuttingDown: boolean;
}

/**
 * A work queue with client-go's defaults: retries back off per key from 5 ms doubling to 1,000 s, and all
 * retries together stay under 10 per second after a burst of 100.
 *
 * ```ts
 * const queue = createWorkQueue();
 * informer.on("update", (object) => queue.add(keyOf(object)));
 * for (let key; (key = await queue.get()) !== undefined; ) {
 *   try { await reconcile(key); queue.forget(key); } catch { queue.addRateLimited(key); } finally { queue.done(key); }
 * }
 * ```
 */
export function createWorkQueue<K = string>(options: WorkQueueOptions<K> = {}): WorkQueue<K> {
  const clock = options.clock ?? realClock;
  const limiter = options.rateLimiter ?? defaultRateLimiter<K>(options, clock);
  return new Queue<K>(clock, limiter);
}

function defaultRateLimiter<K>(options: WorkQueueOptions<K>, clock: Clock): RateLimiter<K> {
  const positive = (name: string, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`work queue ${name}: ${value} is not a positive number`);
    return value;
  };
  const base = positive("baseDelayMs", options.baseDelayMs, 5);
  const max = Math.max(base, positive("maxDelayMs", options.maxDelayMs, 1_000_000));
  return maxOf(exponentialBackoff<K>(base, max), tokenBucket<K>(positive("qps", options.qps, 10), positive("burst", options.burst, 100), clock));
}

/** First in, first out, without `Array.shift`'s cost on long queues. */
class Fifo<K> {
  #items: K[] = [];
  #head = 0;
  get length(): number {
    return this.#items.length - this.#head;
  }
  push(key: K): void {
    this.#items.push(key);
  }
  shift(): K | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const key = this.#items[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return key;
  }
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

class Queue<K> implements WorkQueue<K> {
  readonly #queue = new Fifo<K>();
  /** Keys that need processing: queued, or added again while in progress. */
  readonly #dirty = new Set<K>();
  readonly #processing = new Set<K>();
  readonly #delayed = new DelayedKeys<K>();
  readonly #getters: Array<(key: K | undefined) => void> = [];
  #timer: unknown;
  #shuttingDown = false;
  #drained = deferred();

  constructor(
    private readonly clock: Clock,
    private readonly limiter: RateLimiter<K>,
  ) {}

  get length() {
    return this.#queue.length;
  }
  get processing() {
    return this.#processing.size;
  }
  get delayed() {
    return this.#delayed.size;
  }
  get shuttingDown() {
    return this.#shuttingDown;
  }

  add(key: K): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return; // queued again by done()
    this.#queue.push(key);
    this.#handOut();
  }

  addAfter(key: K, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (!(delayMs > 0)) return this.add(key);
    if (this.#delayed.schedule(key, this.clock.now() + delayMs)) this.#arm();
  }

  addRateLimited(key: K): void {
    if (this.#shuttingDown) return;
    this.addAfter(key, this.limiter.when(key));
  }

  forget(key: K): void {
    this.limiter.forget(key);
  }

  retries(key: K): number {
    return this.limiter.retries(key);
  }

  get(): Promise<K | undefined> {
    if (this.#queue.length > 0) return Promise.resolve(this.#take());
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  done(key: K): void {
    if (!this.#processing.delete(key)) return;
    if (this.#dirty.has(key)) {
      this.#queue.push(key);
      this.#handOut();
    }
    this.#checkDrained();
  }

  shutdown(options: ShutdownOptions = {}): Promise<void> {
    this.#shuttingDown = true;
    this.#delayed.clear();
    if (this.#timer !== undefined) this.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    if (options.abandon) {
      this.#queue.clear();
      this.#dirty.clear();
    }
    // Nothing waits in the queue while getters wait, and nothing new can arrive: release them.
    if (this.#queue.length === 0) for (const getter of this.#getters.splice(0)) getter(undefined);
    this.#checkDrained();
    return this.#drained.promise;
  }

  /** Moves the next key to in-progress. */
  #take(): K {
    const key = this.#queue.shift() as K;
    this.#dirty.delete(key);
    this.#processing.add(key);
    return key;
  }

  #handOut(): void {
    while (this.#getters.length > 0 && this.#queue.length > 0) this.#getters.shift()!(this.#take());
  }

  #checkDrained(): void {
    if (this.#shuttingDown && this.#processing.size === 0 && this.#queue.length === 0) {
      this.#dirty.clear();
      for (const getter of this.#getters.splice(0)) getter(undefined);
      this.#drained.resolve();
    }
  }

  /** One timer, set for the earliest delayed key. */
  #arm(): void {
    if (this.#timer !== undefined) this.clock.clearTimer(this.#timer);
    const next = this.#delayed.nextDueAt();
    this.#timer = next === undefined ? undefined : this.clock.setTimer(() => this.#fire(), next - this.clock.now());
  }

  #fire(): void {
    this.#timer = undefined;
    for (const key of this.#delayed.takeDue(this.clock.now())) this.add(key);
    this.#arm();
  }
}
