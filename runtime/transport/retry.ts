import { delay } from "../timers.js";
import { CONNECTION_FAILURE_CODES, NetworkError, TimeoutError, TlsError } from "./errors.js";
import type { Layer } from "./layers.js";
import { isIdempotent, type TransportRequest, type TransportResponse } from "./types.js";

export interface RetryPolicy {
  maxRetries: number;
  /** A Retry-After longer than this is not waited for: the response goes back to the caller. */
  maxRetryAfterMs: number;
  baseDelayMs: number;
  /** Cap for one computed backoff step. */
  maxBackoffMs?: number;
  random?: () => number;
  now?: () => number;
}

/**
 * Retries 429 (never processed, so safe for any verb) and 503 (idempotent, or when the server sent
 * Retry-After), and connection failures of idempotent requests. Bounded by `maxRetries`. A streaming request
 * (a watch) is retried only when the server says when (429/503 with Retry-After): the watcher loop above it
 * makes every other reconnect decision, with its own backoff.
 */
export function retryLayer(policy: RetryPolicy): Layer {
  const random = policy.random ?? Math.random;
  const now = policy.now ?? Date.now;
  const backoff = (attempt: number) => {
    const step = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxBackoffMs ?? 5_000);
    return step / 2 + (random() * step) / 2; // jitter so many clients do not retry in step
  };

  return (next) => async (request) => {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= policy.maxRetries;
      let response: TransportResponse;
      try {
        response = await next(request);
      } catch (error) {
        if (last || request.streaming || !isIdempotent(request) || !isConnectionFailure(error)) throw error;
        await wait(backoff(attempt), request.signal);
        continue;
      }
      const wanted = retryDelay(response, request, now);
      if (last || wanted === undefined) return response;
      const waitMs = wanted === "backoff" ? backoff(attempt) : wanted;
      if (waitMs > policy.maxRetryAfterMs) return response;
      await response.body.dump().catch(() => {});
      await wait(waitMs, request.signal);
    }
  };
}

/** ms to wait before retrying, "backoff" when the server gave no hint, undefined when not to retry. */
function retryDelay(response: TransportResponse, request: TransportRequest, now: () => number): number | "backoff" | undefined {
  const { statusCode } = response;
  if (statusCode !== 429 && statusCode !== 503) return undefined;
  const retryAfter = parseRetryAfter(response.headers["retry-after"], now);
  if (retryAfter === undefined && (request.streaming || (statusCode === 503 && !isIdempotent(request)))) return undefined;
  return retryAfter ?? "backoff";
}

/** Retry-After as delta seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: () => number = Date.now): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === "") return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

function isConnectionFailure(error: unknown): boolean {
  return (
    error instanceof NetworkError &&
    !(error instanceof TlsError) &&
    !(error instanceof TimeoutError) &&
    error.code !== undefined &&
    CONNECTION_FAILURE_CODES.has(error.code)
  );
}

async function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await delay(ms, signal);
}
