import { checkOptionalDuration } from "../request/validation.js";
import { delay } from "../timers.js";

/** Delays between reconnect attempts that failed in a row: doubling from `initialMs` up to `maxMs`, jittered. */
export interface WatchBackoff {
  /** First delay; default 100 ms. */
  initialMs?: number | undefined;
  /** Cap of one delay; default 5,000 ms. */
  maxMs?: number | undefined;
  /** Source of jitter in [0, 1); tests pass a fixed one. */
  random?: (() => number) | undefined;
}

/** Counts consecutive failures and answers how long to wait before the next attempt. */
export class BackoffSchedule {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #failures = 0;

  constructor(options: WatchBackoff = {}) {
    checkOptionalDuration("backoff.initialMs", options.initialMs, "non-negative");
    checkOptionalDuration("backoff.maxMs", options.maxMs, "non-negative");
    this.#initialMs = Math.max(0, options.initialMs ?? 100);
    this.#maxMs = Math.max(this.#initialMs, options.maxMs ?? 5_000);
    this.#random = options.random ?? Math.random;
  }

  /** The delay before the next attempt after one more failure: between half and all of the current step. */
  nextDelayMs(): number {
    const step = Math.min(this.#initialMs * 2 ** this.#failures, this.#maxMs);
    this.#failures++;
    // Jitter keeps many watchers of one restarted server from reconnecting in step.
    return step / 2 + (this.#random() * step) / 2;
  }

  /** A connection that made progress starts the schedule over. */
  reset(): void {
    this.#failures = 0;
  }
}

/** Waits `ms`, or less when `signal` aborts (then resolves quietly: the caller checks `signal.aborted`). */
export async function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  // delay() clears its timer on abort, so an aborted watch leaves none behind.
  await delay(ms, signal).catch(() => {});
}
