import type { Dispatcher } from "undici";
import { createAuthProvider, rejectedCredentialsHint } from "../auth/index.js";
import type { AuthProvider, ClientCertificate } from "../auth/provider.js";
import type { ClusterConnection } from "../config/types.js";
import { authLayer } from "./auth-layer.js";
import { createDispatcher } from "./dispatcher.js";
import { compose } from "./layers.js";
import { retryLayer } from "./retry.js";
import { sendWithUndici } from "./send.js";
import type { Transport, TransportOptions } from "./types.js";
import { warningLayer, warningPrinter } from "./warnings.js";
import { RUNTIME_VERSION } from "../core/version.js";
import { checkOptionalDuration } from "../request/validation.js";

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
  const send = compose(
    ...warnings,
    authLayer(auth),
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
      userAgent,
    }),
  );
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
      };
    },
    unauthorizedHint: () => (options.auth ? `the server rejected the credentials of the transport's own auth provider (${connection.source})` : rejectedCredentialsHint(connection)),
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
