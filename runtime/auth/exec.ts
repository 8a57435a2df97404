import type { ClusterConnection, ExecCredentialConfig } from "../config/types.js";
import { runExecPlugin, type ExecCredential } from "./exec-plugin.js";
import type { AuthProvider } from "./provider.js";
import { checkOptionalDuration } from "../request/validation.js";

export interface ExecAuthOptions {
  /** Kill the plugin after this long (default 60 s). */
  timeoutMs?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

/**
 * Credentials from an exec plugin: cached until `expirationTimestamp`, one shared run for concurrent
 * callers, a rerun after a 401 with the current credential.
 */
export function execAuth(exec: ExecCredentialConfig, connection: ClusterConnection, options: ExecAuthOptions = {}): AuthProvider {
  const now = options.now ?? Date.now;
  checkOptionalDuration("timeoutMs", options.timeoutMs, "non-negative");
  const timeoutMs = options.timeoutMs ?? 60_000;
  let cached: ExecCredential | undefined;
  let running: Promise<ExecCredential> | undefined;

  function credential(): Promise<ExecCredential> {
    if (cached && (cached.expiresAt === undefined || cached.expiresAt > now())) return Promise.resolve(cached);
    running ??= runExecPlugin(exec, { cluster: connection, timeoutMs })
      .then((fresh) => (cached = fresh))
      .finally(() => (running = undefined));
    return running;
  }

  const authorization = (c: ExecCredential | undefined) => (c?.token ? `Bearer ${c.token.reveal()}` : undefined);

  return {
    async headers(): Promise<Record<string, string>> {
      const header = authorization(await credential());
      return header ? { authorization: header } : {};
    },
    async refreshAfterUnauthorized(rejectedHeaders) {
      if (running) return true;
      // Another caller already replaced the credential this request used: use that, don't rerun.
      if (rejectedHeaders && cached && authorization(cached) !== rejectedHeaders.authorization) return true;
      cached = undefined;
      return true;
    },
    async clientCertificate() {
      return (await credential()).clientCertificate;
    },
  };
}
