// Why: Node fires a timer longer than 2^31−1 ms (~24.8 days) after 1 ms, so every delay a user can choose goes through here.

/** The longest delay Node's timers keep as given. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer of any length: `setLongTimeout` re-arms it in steps of at most `MAX_TIMER_MS`. */
export interface LongTimer {
  timer: NodeJS.Timeout | undefined;
}

/**
 * Calls `callback` once, `delayMs` from now (never when `delayMs` is Infinity), however long that is, in steps of
 * at most `stepMs` (Node's limit; tests pass a small one).
 */
export function setLongTimeout(callback: () => void, delayMs: number, stepMs = MAX_TIMER_MS): LongTimer {
  const handle: LongTimer = { timer: undefined };
  if (delayMs <= stepMs) {
    handle.timer = setTimeout(callback, Math.max(0, delayMs));
    return handle;
  }
  const dueAt = performance.now() + delayMs;
  const arm = () => {
    const remaining = dueAt - performance.now();
    handle.timer = remaining > stepMs ? setTimeout(arm, stepMs) : setTimeout(callback, Math.max(0, remaining));
  };
  arm();
  return handle;
}

export function clearLongTimeout(handle: LongTimer | undefined): void {
  if (handle !== undefined) clearTimeout(handle.timer);
}

/** Resolves after `delayMs`; rejects with the signal's reason when `signal` aborts first, leaving no timer behind. */
export function delay(delayMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearLongTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setLongTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
