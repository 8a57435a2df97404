import type { Dispatcher } from "undici";
import { guardBody } from "./body-guard.js";
import { TimeoutError, toTransportError } from "./errors.js";
import type { Send } from "./layers.js";
import type { TransportRequest } from "./types.js";

export interface SendTarget {
  server: string;
  proxyUrl?: string;
  /** The dispatcher to use for this request (may change when an exec plugin hands out a new client certificate). */
  dispatcher: () => Promise<Dispatcher>;
  defaultTimeoutMs: number;
  userAgent: string;
}

/**
 * The innermost layer: one HTTP exchange through undici. The timeout covers the whole exchange (connect,
 * TLS, server think time, reading the body), so a server trickling bytes cannot hold a request past it;
 * a streaming request (watch, follow logs) is bound only until its headers arrive.
 */
export function sendWithUndici(target: SendTarget): Send {
  const url = new URL(target.server);
  const origin = url.origin;
  const prefix = url.pathname.replace(/\/+$/, "");
  return async (request: TransportRequest) => {
    if (!request.path.startsWith("/")) throw new TypeError(`request path must be absolute (start with /), got ${JSON.stringify(request.path)}`);
    // Outside the error translation below: an exec plugin failure is an AuthError, not a network one.
    const dispatcher = await target.dispatcher();
    const timeoutMs = request.timeoutMs ?? target.defaultTimeoutMs;
    const deadline = new AbortController();
    const timer = timeoutMs > 0 ? setTimeout(() => deadline.abort(), timeoutMs) : undefined;
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    const context = { server: target.server, timeoutMs, ...(target.proxyUrl ? { proxyUrl: target.proxyUrl } : {}) };
    const timedOut = (cause: unknown) =>
      new TimeoutError(`no complete answer from ${target.server} within ${timeoutMs} ms (${request.method} ${request.path}); the server may be overloaded or unreachable, or raise timeoutMs`, {
        server: target.server,
        timeoutMs,
        cause,
      });
    let deadlineOwnedByBody = false;
    try {
      request.signal?.throwIfAborted();
      const response = await settleByAbort(dispatcher.request({
        origin,
        path: prefix + request.path,
        method: request.method,
        headers: { "user-agent": target.userAgent, ...lowerCaseKeys(request.headers) },
        body: request.body ?? null,
        signal,
        headersTimeout: 0, // our deadline covers it, including connect and TLS
        bodyTimeout: request.streaming ? 0 : timeoutMs,
      }), signal);
      // Errors while the body is read are translated like errors before the headers (the caller's abort excepted).
      const translate = (error: Error): Error => {
        if (request.signal?.aborted) return error;
        if (deadline.signal.aborted) return timedOut(error);
        const translated = toTransportError(error, context);
        return translated instanceof Error ? translated : error;
      };
      // A non-streaming body stays under the deadline until it is read (or dumped), so the timer lives on.
      deadlineOwnedByBody = !request.streaming;
      const body = guardBody(response.body, translate, () => clearTimeout(timer));
      return { statusCode: response.statusCode, headers: response.headers, body };
    } catch (error) {
      // The caller's own abort is not a transport failure: hand back their reason untouched.
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      if (deadline.signal.aborted) throw timedOut(error);
      throw toTransportError(error, context);
    } finally {
      if (!deadlineOwnedByBody) clearTimeout(timer);
    }
  };
}

/**
 * undici acts on an abort only once the request has a connected socket, so a connect or TLS handshake that
 * stalls (a half-open or trickling server) would hold the caller until undici's own connect timeout. Settle
 * at the abort instead; a response that still arrives later is discarded.
 */
function settleByAbort<T extends { body: { destroy(): unknown } }>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      pending.then((late) => late.body.destroy(), () => {});
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    pending.then(
      (response) => {
        signal.removeEventListener("abort", onAbort);
        resolve(response);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) result[key.toLowerCase()] = value;
  return result;
}
