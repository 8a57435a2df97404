import type { Dispatcher } from "undici";
import { guardBody } from "./body-guard.js";
import { Cancellation } from "./cancellation.js";
import { TimeoutError, toTransportError } from "./errors.js";
import type { Send } from "./layers.js";
import type { TransportRequest } from "./types.js";
import { serverBase } from "../server-url.js";
import { checkOptionalDuration, validateRawPath } from "../request/validation.js";

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
          headers: { "user-agent": target.userAgent, ...lowerCaseKeys(request.headers) },
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

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) result[key.toLowerCase()] = value;
  return result;
}
