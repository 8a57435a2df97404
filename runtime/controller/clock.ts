// Time as the controller room reads it: the real clock by default, a stepped one in tests of delays and rates.
import { clearLongTimeout, setLongTimeout, type LongTimer } from "../timers.js";

/** Monotonic milliseconds and one-shot timers; pass your own to step through backoffs and rate limits in a test. */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  /** Calls `callback` once, `delayMs` from now. */
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** `performance.now()` and Node's timers (re-armed past Node's 24.8-day limit, so a 30-day delay waits 30 days). */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimer: (callback, delayMs) => setLongTimeout(callback, delayMs),
  clearTimer: (handle) => clearLongTimeout(handle as LongTimer),
};

/** Resolves after `delayMs` on `clock`, or at once when `signal` aborts (quietly: the caller checks `signal.aborted`). */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || delayMs <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      clock.clearTimer(timer);
      signal?.removeEventListener("abort", finish);
      resolve();
    };
    const timer = clock.setTimer(finish, delayMs);
    signal?.addEventListener("abort", finish, { once: true });
  });
}

/** A promise with its settle functions (`Promise.withResolvers` needs Node 22). */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
