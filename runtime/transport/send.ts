import type { Dispatcher } from "undici";
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
 * The innermost layer: one HTTP exchange through undici. The timeout covers everything up to the
 * response headers (connect, TLS, server think time) and then applies to body inactivity, unless streaming.
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
    try {
      request.signal?.throwIfAborted();
      const response = await dispatcher.request({
        origin,
        path: prefix + request.path,
        method: request.method,
        headers: { "user-agent": target.userAgent, ...lowerCaseKeys(request.headers) },
        body: request.body ?? null,
        signal,
        headersTimeout: 0, // our deadline covers it, including connect and TLS
        bodyTimeout: request.streaming ? 0 : timeoutMs,
      });
      return { statusCode: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      // The caller's own abort is not a transport failure: hand back their reason untouched.
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      if (deadline.signal.aborted) {
        throw new TimeoutError(`no response from ${target.server} within ${timeoutMs} ms (${request.method} ${request.path}); the server may be overloaded or unreachable, or raise timeoutMs`, {
          server: target.server,
          timeoutMs,
          cause: error,
        });
      }
      throw toTransportError(error, context);
    } finally {
      clearTimeout(timer);
    }
  };
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) result[key.toLowerCase()] = value;
  return result;
}
