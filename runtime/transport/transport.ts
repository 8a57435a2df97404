// A connection to one cluster: the layers its requests go through (warnings, auth, retry), each decided here
// and composed once over the undici exchange of send.ts.
import type { Dispatcher } from "undici";
import { createAuthProvider, rejectedCredentialsHint } from "../auth/index.js";
import type { AuthProvider, ClientCertificate } from "../auth/provider.js";
import type { ClusterConnection } from "../config/types.js";
import { createDispatcher } from "./dispatcher.js";
import { CONNECTION_FAILURE_CODES, NetworkError, TimeoutError, TlsError } from "./errors.js";
import { compose, type Layer } from "./layers.js";
import { sendWithUndici } from "./send.js";
import { isIdempotent, type Transport, type TransportOptions, type TransportRequest, type TransportResponse, type WarningContext, type WarningHandler } from "./types.js";
import { parseWarningHeaders, utf8HeaderValues, warningPrinter } from "./warnings.js";
import { RUNTIME_VERSION } from "../core/version.js";
import { checkOptionalDuration } from "../request/validation.js";
import { delay } from "../timers.js";

const DEFAULT_USER_AGENT = `kubetyped/${RUNTIME_VERSION} (node ${process.version})`;

/** A connection to one cluster: warnings, auth, retry and TLS composed once, over one keep-alive pool. */
export function createTransport(connection: ClusterConnection, options: TransportOptions & { auth?: AuthProvider } = {}): Transport {
  for (const option of ["timeoutMs", "maxRetryAfterMs", "retryBaseDelayMs"] as const) checkOptionalDuration(option, options[option], "non-negative");
  const auth = options.auth ?? createAuthProvider(connection);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const dispatchers = dispatcherForCertificate(connection, auth, timeoutMs);
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  // Outermost: only the answer the caller gets is read for warnings, not a 401 or 429 retried past.
  const warnings = options.warnings === false ? [] : [warningLayer(options.warnings ?? warningPrinter())];
  // A credential that never changes is a fixed header, decided here; only one that can be refreshed needs the layer.
  const fixedCredentials = auth.fixedHeaders?.();
  const send = compose(
    ...warnings,
    ...(fixedCredentials ? [] : [authLayer(auth)]),
    retryLayer({
      maxRetries: options.maxRetries ?? 3,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
      baseDelayMs: options.retryBaseDelayMs ?? 200,
    }),
  )(
    sendWithUndici({
      server: connection.server,
      ...(connection.proxyUrl ? { proxyUrl: connection.proxyUrl } : {}),
      dispatcher: dispatchers.current,
      defaultTimeoutMs: timeoutMs,
      headers: { "user-agent": userAgent, ...fixedCredentials },
    }),
  );
  const unauthorizedHint = () =>
    options.auth ? `the server rejected the credentials of the transport's own auth provider (${connection.source})` : rejectedCredentialsHint(connection);
  return {
    server: connection.server,
    connection,
    send,
    async upgradeContext() {
      const dispatcher = await dispatchers.current();
      const credentials = await auth.headers();
      return {
        server: connection.server,
        dispatcher,
        headers: { "user-agent": userAgent, ...credentials },
        refreshAfterUnauthorized: () => auth.refreshAfterUnauthorized(credentials),
        unauthorizedHint,
      };
    },
    unauthorizedHint,
    close: dispatchers.close,
  };
}

/**
 * The pool is built lazily; an exec plugin may hand out a client certificate that rotates, and TLS
 * options are fixed per pool, so a new certificate means a new pool (the old one drains).
 */
function dispatcherForCertificate(connection: ClusterConnection, auth: AuthProvider, connectTimeoutMs: number) {
  let active: { dispatcher: Dispatcher; certificate: ClientCertificate | undefined } | undefined;
  const retired: Dispatcher[] = [];
  return {
    async current(): Promise<Dispatcher> {
      const certificate = auth.clientCertificate ? await auth.clientCertificate() : undefined;
      if (active && sameCertificate(active.certificate, certificate)) return active.dispatcher;
      if (active) {
        retired.push(active.dispatcher);
        active.dispatcher.close().catch(() => {});
      }
      active = { dispatcher: createDispatcher(connection, certificate, { connectTimeoutMs }), certificate };
      return active.dispatcher;
    },
    async close(): Promise<void> {
      const all = [...retired, ...(active ? [active.dispatcher] : [])];
      active = undefined;
      await Promise.all(all.map((d) => d.close().catch(() => {})));
    },
  };
}

function sameCertificate(a: ClientCertificate | undefined, b: ClientCertificate | undefined): boolean {
  if (!a || !b) return a === b;
  return a.cert.equals(b.cert) && a.key.reveal().equals(b.key.reveal());
}

/** Hands the warnings of each response to `handler`; a response without a `Warning` header costs one lookup. */
export function warningLayer(handler: WarningHandler): Layer {
  return (next) => async (request) => {
    const response = await next(request);
    const header = response.headers["warning"];
    if (header === undefined) return response;
    const context: WarningContext = { method: request.method, path: request.path };
    try {
      for (const warning of parseWarningHeaders(utf8HeaderValues(header)).warnings) handler(warning, context);
    } catch (error) {
      // The handler's own failure reaches the caller; the unread body must not hold the connection.
      await response.body.dump().catch(() => {});
      throw error;
    }
    return response;
  };
}

/** Adds credentials; after a 401 asks the provider once for fresh ones and resends once. */
function authLayer(auth: AuthProvider): Layer {
  const withAuth = async (request: TransportRequest) => {
    const headers = await auth.headers();
    return { headers, request: { ...request, headers: { ...headers, ...request.headers } } };
  };
  return (next) => async (request) => {
    // A caller's own Authorization header wins; the provider's credential is neither used nor refreshed.
    if (callerSetAuthorization(request)) return next(request);
    const first = await withAuth(request);
    const response = await next(first.request);
    if (response.statusCode !== 401) return response;
    if (!(await auth.refreshAfterUnauthorized(first.headers))) return response;
    await response.body.dump().catch(() => {});
    return next((await withAuth(request)).request);
  };
}

function callerSetAuthorization(request: TransportRequest): boolean {
  return Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === "authorization");
}

interface RetryPolicy {
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
function retryLayer(policy: RetryPolicy): Layer {
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
        await delay(backoff(attempt), request.signal);
        continue;
      }
      const wanted = retryDelay(response, request, now);
      if (last || wanted === undefined) return response;
      const waitMs = wanted === "backoff" ? backoff(attempt) : wanted;
      if (waitMs > policy.maxRetryAfterMs) return response;
      await response.body.dump().catch(() => {});
      await delay(waitMs, request.signal);
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
