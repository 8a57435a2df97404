import { EventEmitter } from "node:events";
import { clearLongTimeout, setLongTimeout, type LongTimer } from "../timers.js";

/**
 * One request's deadline and the caller's abort, as the EventEmitter undici accepts for `signal` (its
 * documented alternative to an AbortSignal): an AbortController per request plus `AbortSignal.any` to join
 * the caller's signal cost more than the rest of the request path; this costs one emitter and one timer.
 */
export class Cancellation extends EventEmitter {
  /** Read by undici before it sends. */
  aborted = false;
  /** The caller's reason when they aborted; undici rejects with it. */
  reason: unknown = undefined;
  /** True when the deadline (not the caller) ended the request. */
  timedOut = false;
  #timer: LongTimer | undefined;
  #unlinkCaller: (() => void) | undefined;

  constructor(timeoutMs: number, callerSignal: AbortSignal | undefined) {
    super();
    if (timeoutMs > 0) {
      this.#timer = setLongTimeout(() => {
        this.timedOut = true;
        this.#abort(new Error(`deadline of ${timeoutMs} ms passed`));
      }, timeoutMs);
    }
    if (callerSignal) {
      const onAbort = () => this.#abort(callerSignal.reason);
      callerSignal.addEventListener("abort", onAbort, { once: true });
      this.#unlinkCaller = () => callerSignal.removeEventListener("abort", onAbort);
    }
  }

  /** The deadline stops applying (a streaming body is bound only until its headers). */
  stopDeadline(): void {
    clearLongTimeout(this.#timer);
  }

  /** The exchange is over: no timer, no listener on the caller's signal. */
  release(): void {
    clearLongTimeout(this.#timer);
    this.#unlinkCaller?.();
    this.#unlinkCaller = undefined;
  }

  #abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit("abort");
  }
}
