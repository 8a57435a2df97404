// The one answer to "what now?" after a watcher's list or watch fails or ends: retry, resume, relist, fall back, or stop.
import type { Status } from "../api/objects.js";
import { isGone, StatusError, statusErrorFromStatus } from "../rest/status-errors.js";
import { NetworkError, TlsError } from "../transport/errors.js";
import { BackoffSchedule, type WatchBackoff } from "./backoff.js";
import { WatchDecodeError } from "./decode.js";
import { RelistBackoff, RelistLoopError } from "./relist-backoff.js";

/** What the watcher was doing when it failed or its connection ended. */
export interface Attempt {
  /** "list": a paged list or the current version; "stream": a streaming list before its end bookmark; "watch": a watch. */
  step: "list" | "stream" | "watch";
  /** When the step began (for a streaming list that reached its end bookmark: when it did). */
  startedAt: number;
  /** Whether the connection delivered an event. */
  delivered: boolean;
}

/** What to do next: stop with the error, or wait `delayMs` and go on, relisting first when `relist`. */
export type Verdict =
  | { action: "throw" }
  | {
      action: "retry";
      delayMs: number;
      /** The state is gone (410): load it again before watching. */
      relist: boolean;
      /** The server does not serve streaming lists: use paged lists from now on. */
      pagedFromNowOn: boolean;
      /** What the watcher's `onRetry` is told, if anything. */
      report: unknown;
    };

/**
 * A streaming list the server answered without the `k8s.io/initial-events-end` bookmark: a server that does not
 * know `sendInitialEvents` treats the request as an ordinary watch. The watcher lists in pages instead.
 */
export class StreamingListUnsupportedError extends Error {
  override readonly name = "StreamingListUnsupportedError";
}

/** How the watcher decides; `resumeOnly` watchers hold no state, so an expired version (410) is the caller's to handle. */
export interface RetryDecisionOptions {
  backoff?: WatchBackoff | undefined;
  /** Connections that lived at least this long count as healthy even without events; default 1,000 ms. */
  healthyAfterMs?: number | undefined;
  resumeOnly: boolean;
  /** Names the collection in `RelistLoopError`. */
  plural: string;
}

/** Holds the backoff of failed attempts and of relists in a row, and answers each failure or ended connection. */
export class RetryDecision {
  readonly #backoff: BackoffSchedule;
  readonly #relists: RelistBackoff;
  readonly #healthyAfterMs: number;

  constructor(private readonly options: RetryDecisionOptions) {
    this.#backoff = new BackoffSchedule(options.backoff);
    this.#relists = new RelistBackoff(options.backoff);
    this.#healthyAfterMs = options.healthyAfterMs ?? 1_000;
  }

  /** A list (paged or streaming) completed: failures before it no longer count. */
  listed(): void {
    this.#backoff.reset();
  }

  /** The server ended a connection: reconnect at once after progress, else after the backoff. */
  ended(attempt: Attempt): number {
    if (attempt.step !== "list" && (attempt.delivered || Date.now() - attempt.startedAt >= this.#healthyAfterMs)) {
      this.#backoff.reset();
      return 0;
    }
    return this.#backoff.nextDelayMs();
  }

  /** `error` ended `attempt`. */
  failed(error: unknown, attempt: Attempt): Verdict {
    if (attempt.step === "stream" && refusesStreamingLists(error)) return { action: "retry", delayMs: 0, relist: true, pagedFromNowOn: true, report: undefined };
    if (isGone(error)) return this.options.resumeOnly ? { action: "throw" } : this.#expired(error, attempt);
    if (!isRetryable(error)) return { action: "throw" };
    return { action: "retry", delayMs: this.ended(attempt), relist: false, pagedFromNowOn: false, report: error };
  }

  /** 410: relist, at once the first time, with backoff when watches keep expiring right after their list. */
  #expired(error: unknown, attempt: Attempt): Verdict {
    const verdict = this.#relists.expired(attempt.step === "watch" ? Date.now() - attempt.startedAt : undefined);
    const report = verdict.report ? new RelistLoopError(this.options.plural, verdict.inARow, { cause: error, nextDelayMs: verdict.delayMs }) : undefined;
    return { action: "retry", delayMs: verdict.delayMs, relist: true, pagedFromNowOn: false, report };
  }
}

/**
 * A streaming list asks for no version, so 400/422 (a server that rejects `sendInitialEvents` or
 * `resourceVersionMatch` on a watch: 1.20 answers 422) and 410 (a relay that expires every watch) mean the server
 * does not serve it; so does an answer without the end bookmark.
 */
function refusesStreamingLists(error: unknown): boolean {
  if (error instanceof StreamingListUnsupportedError) return true;
  return error instanceof StatusError && (error.code === 400 || error.code === 410 || error.code === 422);
}

/** An ERROR event's Status as a typed error: a `StatusError` (`isGone` for 410/Expired/Gone). */
export function watchEventError(status: Status, url: string): StatusError {
  // Some servers send 410 without a reason, or reason "Expired" without a code: both mean Gone.
  const gone = status.code === 410 || status.reason === "Expired" || status.reason === "Gone";
  const normalized: Status = gone ? { ...status, code: 410, reason: status.reason || "Expired" } : status;
  return statusErrorFromStatus(normalized, { method: "WATCH", url });
}

/** Failures a reconnect can cure: dropped or truncated streams, rate limits and server-side errors (never 410). */
export function isRetryable(error: unknown): boolean {
  if (isGone(error)) return false;
  if (error instanceof StatusError) return error.code === 429 || error.code >= 500;
  if (error instanceof WatchDecodeError) return error.truncated;
  if (error instanceof TlsError) return false;
  if (error instanceof NetworkError) return true;
  // Reading a body that breaks mid-way fails with undici's or Node's own socket errors, not ours.
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("UND_ERR_") || /^E[A-Z]+$/.test(code) || code === "ERR_STREAM_PREMATURE_CLOSE");
}
