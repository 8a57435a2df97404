import type { Secret } from "../config/secret.js";

/** Client certificate and key used for mutual TLS when they come from an auth source (exec plugin). */
export interface ClientCertificate {
  cert: Buffer;
  key: Secret<Buffer>;
}

/** How requests prove who they are, as headers and (for exec plugins) a client certificate. */
export interface AuthProvider {
  /** Headers to add to the next request (e.g. `authorization`). */
  headers(): Promise<Record<string, string>>;
  /**
   * Called after a 401. Returns true when fresh credentials are (or will be) available, so one retry is
   * worthwhile. `rejectedHeaders` are the headers the rejected request carried: when another caller has
   * already refreshed past them, no second refresh runs.
   */
  refreshAfterUnauthorized(rejectedHeaders?: Record<string, string>): Promise<boolean>;
  /**
   * Present when the credential never changes (no token, a fixed token, basic auth): the transport then sends
   * its headers with every request and asks for nothing per request, since a 401 has nothing to refresh.
   */
  fixedHeaders?(): Readonly<Record<string, string>>;
  /** Present only for sources that can yield a certificate at run time. */
  clientCertificate?(): Promise<ClientCertificate | undefined>;
}
