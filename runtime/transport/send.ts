// One HTTP exchange through undici, with its deadline, the caller's abort and the typed errors of a body read later.
import { EventEmitter } from "node:events";
import type { Dispatcher } from "undici";
import { TimeoutError, toTransportError } from "./errors.js";
import type { Send } from "./layers.js";
import type { TransportRequest } from "./types.js";
import { serverBase } from "../server-url.js";
import { checkOptionalDuration, validateRawPath } from "../request/validation.js";
import { clearLongTimeout, setLongTimeout, type LongTimer } from "../timers.js";

export interface SendTarget {
  server: string;
  proxyUrl?: string;
  /** The dispatcher to use for this request (may change when an exec plugin hands out a new client certificate). */
  dispatcher: () => Promise<Dispatcher>;
  defaultTimeoutMs: number;
  /** Sent with every request (user-agent, a credential that never changes); a request's own headers win. */
  headers: Readonly<Record<string, string>>;
}

/**
 * The innermost layer: one HTTP exchange through undici. The timeout covers the whole exchange (connect,
 * TLS, server think time, reading the body), so a server trickling bytes cannot hold a request past it;
 * a streaming request (watch, follow logs) is bound only until its headers arrive.
 */
export function sendWithUndici(target: SendTarget): Send {
  const url = new URL(target.server);
  const origin = url.origin;
  const prefix = serverBase(url.pathname);
  return async (request: TransportRequest) => {
    if (!request.path.startsWith("/")) throw new TypeError(`request path must be absolute (start with /), got ${JSON.stringify(request.path)}`);
    validateRawPath(request.path);
    // Outside the error translation below: an exec plugin failure is an AuthError, not a network one.
    const dispatcher = await target.dispatcher();
    request.signal?.throwIfAborted();
    checkOptionalDuration("timeoutMs", request.timeoutMs, "non-negative");
    const timeoutMs = request.timeoutMs ?? target.defaultTimeoutMs;
    const cancellation = new Cancellation(timeoutMs, request.signal);
    const context = { server: target.server, timeoutMs, ...(target.proxyUrl ? { proxyUrl: target.proxyUrl } : {}) };
    // The caller's own abort is not a transport failure: they get their reason untouched.
    const translate = (error: unknown, phase: "headers" | "body"): unknown => {
      if (request.signal?.aborted) return request.signal.reason ?? error;
      if (cancellation.timedOut) {
        return new TimeoutError(`no complete answer from ${target.server} within ${timeoutMs} ms (${request.method} ${request.path}); the server may be overloaded or unreachable, or raise timeoutMs`, {
          server: target.server,
          timeoutMs,
          cause: error,
        });
      }
      return toTransportError(error, { ...context, phase });
    };
    let response: Dispatcher.ResponseData;
    try {
      response = await settleByAbort(
        dispatcher.request({
          origin,
          path: prefix + request.path,
          method: request.method,
          headers: request.headers ? { ...target.headers, ...lowerCaseKeys(request.headers) } : target.headers,
          body: request.body ?? null,
          signal: cancellation,
          headersTimeout: 0, // our deadline covers it, including connect and TLS
          bodyTimeout: request.streaming ? 0 : timeoutMs,
        }),
        cancellation,
      );
    } catch (error) {
      cancellation.release();
      throw translate(error, "headers");
    }
    // A non-streaming body stays under the deadline until it is read (or dumped); a streaming one only
    // listens to the caller's signal from here on.
    if (request.streaming) cancellation.stopDeadline();
    const body = guardBody(
      response.body,
      (error) => {
        const translated = translate(error, "body");
        return translated instanceof Error ? translated : error;
      },
      () => cancellation.release(),
    );
    return { statusCode: response.statusCode, headers: response.headers, body };
  };
}

/**
 * undici acts on an abort only once the request has a connected socket, so a connect or TLS handshake that
 * stalls (a half-open or trickling server) would hold the caller until undici's own connect timeout. Settle
 * at the abort instead; a response that still arrives later is discarded.
 */
function settleByAbort<T extends { body: { destroy(): unknown } }>(pending: Promise<T>, cancellation: Cancellation): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      pending.then((late) => late.body.destroy(), () => {});
      reject(cancellation.reason);
    };
    if (cancellation.aborted) return onAbort();
    cancellation.once("abort", onAbort);
    pending.then(
      (response) => {
        cancellation.removeListener("abort", onAbort);
        resolve(response);
      },
      (error: unknown) => {
        cancellation.removeListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) result[key.toLowerCase()] = value;
  return result;
}

type Body = Dispatcher.ResponseData["body"];

/**
 * Makes failures while a body is read (a reset, a clean close mid-chunk, a stall, the deadline) reach the
 * caller as the transport's typed errors, not raw undici/Node ones: undici ends a failing body through
 * `destroy(error)`, and `text()`, iteration and `dump()` all reject with that error. `onClosed` runs once the
 * body is done with, read or not (it releases the request's deadline).
 */
function guardBody(body: Body, translate: (error: Error) => Error, onClosed: () => void): Body {
  const destroy = body.destroy.bind(body);
  body.destroy = ((error?: Error | null) => destroy(error ? translate(error) : undefined)) as Body["destroy"];
  if (body.closed) onClosed();
  else body.once("close", onClosed);
  return body;
}

/**
 * One request's deadline and the caller's abort, as the EventEmitter undici accepts for `signal` (its
 * documented alternative to an AbortSignal): an AbortController per request plus `AbortSignal.any` to join
 * the caller's signal cost more than the rest of the request path; this costs one emitter and one timer.
 */
class Cancellation extends EventEmitter {
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
