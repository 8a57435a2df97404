// Why: a server (or relay) that expires every watch with 410 must not make an informer relist in a tight loop.
import { BackoffSchedule, type WatchBackoff } from "./backoff.js";

/** Expired watches in a row after which the informer tells its error handlers, and again at each further multiple. */
export const EXPIRED_IN_A_ROW_REPORTED = 5;

/** A watch that lived this long before it expired was healthy: the next relist runs at once. */
const HEALTHY_WATCH_MS = 1_000;

/** What to do after one more expired watch (410 Gone). */
export interface ExpiryVerdict {
  /** Wait this long before relisting (0 for the first expiry of a streak). */
  delayMs: number;
  /** Expired watches in a row, this one included. */
  inARow: number;
  /** True when this streak is long enough to report (every `EXPIRED_IN_A_ROW_REPORTED`th). */
  report: boolean;
}

/**
 * Counts watches that expired (or paged lists whose continue token expired) soon after their list. The first
 * one relists at once, as an ordinary 410 after compaction should; each further one in a row waits on the backoff
 * schedule. Only a watch that lived `HEALTHY_WATCH_MS` ends a streak: a good list alone does not, because a
 * server that lists fine and expires every watch is exactly the loop this breaks.
 */
export class RelistBackoff {
  readonly #schedule: BackoffSchedule;
  #inARow = 0;

  constructor(backoff?: WatchBackoff) {
    this.#schedule = new BackoffSchedule(backoff);
  }

  /** One more expiry; `watchLivedMs` is how long the expired watch ran (undefined when the list itself expired). */
  expired(watchLivedMs: number | undefined): ExpiryVerdict {
    if (watchLivedMs !== undefined && watchLivedMs >= HEALTHY_WATCH_MS) {
      this.#inARow = 0;
      this.#schedule.reset();
    }
    this.#inARow++;
    const delayMs = this.#inARow === 1 ? 0 : this.#schedule.nextDelayMs();
    return { delayMs, inARow: this.#inARow, report: this.#inARow % EXPIRED_IN_A_ROW_REPORTED === 0 };
  }
}

/** The error an informer's error handlers receive when watches keep expiring right after their list. */
export class RelistLoopError extends Error {
  override readonly name = "RelistLoopError";
  constructor(
    readonly plural: string,
    readonly inARow: number,
    options: { cause: unknown; nextDelayMs: number },
  ) {
    super(
      `informer for ${plural}: ${inARow} watches in a row expired (410 Gone) right after a fresh list; relisting with backoff ` +
        `(next in ${Math.round(options.nextDelayMs)} ms). The server's watch cache may be compacting faster than one list, ` +
        `or a proxy answers watches with 410`,
      { cause: options.cause },
    );
  }
}
