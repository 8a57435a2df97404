// How long a failed key waits before its retry: per-key exponential backoff, an overall token bucket, the larger of both.
import type { Clock } from "./clock.js";

/** Decides the delay of each retry (`addRateLimited`) and remembers per-key failures until `forget`. */
export interface RateLimiter<K> {
  /** The delay before `key`'s next retry; counts one more failure. */
  when(key: K): number;
  /** `key` succeeded: its backoff starts over. */
  forget(key: K): void;
  /** Failures counted for `key` since it was last forgotten. */
  retries(key: K): number;
}

/** Per-key backoff doubling from `baseDelayMs` to `maxDelayMs` (client-go: 5 ms to 1,000 s). */
export function exponentialBackoff<K>(baseDelayMs: number, maxDelayMs: number): RateLimiter<K> {
  const failures = new Map<K, number>();
  return {
    when(key) {
      const count = failures.get(key) ?? 0;
      failures.set(key, count + 1);
      // 2 ** 1024 is Infinity; long before that the cap applies.
      return Math.min(baseDelayMs * 2 ** Math.min(count, 1000), maxDelayMs);
    },
    forget: (key) => void failures.delete(key),
    retries: (key) => failures.get(key) ?? 0,
  };
}

/**
 * An overall token bucket (client-go: 10 per second, burst 100): each retry takes a token, and one that finds
 * none waits until its token is due, so a storm of failures is spread out instead of hammering the server.
 */
export function tokenBucket<K>(qps: number, burst: number, clock: Clock): RateLimiter<K> {
  let tokens = burst;
  let last = clock.now();
  return {
    when() {
      const now = clock.now();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * qps);
      last = now;
      tokens -= 1;
      // A negative balance is a reservation: the token arrives after -tokens / qps seconds.
      return tokens >= 0 ? 0 : (-tokens / qps) * 1000;
    },
    forget: () => {},
    retries: () => 0,
  };
}

/** The largest delay of `limiters` (every one counts the failure), as client-go's default controller rate limiter. */
export function maxOf<K>(...limiters: RateLimiter<K>[]): RateLimiter<K> {
  return {
    when: (key) => Math.max(...limiters.map((limiter) => limiter.when(key))),
    forget: (key) => limiters.forEach((limiter) => limiter.forget(key)),
    retries: (key) => Math.max(...limiters.map((limiter) => limiter.retries(key))),
  };
}
