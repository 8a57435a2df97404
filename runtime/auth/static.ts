import type { Secret } from "../config/secret.js";
import type { AuthProvider } from "./provider.js";

/** A credential that never changes: the same headers every time, nothing to refresh after a 401. */
function fixedAuth(headers: Record<string, string>): AuthProvider {
  // Methods, not fields: a provider printed in a log shows no token.
  return { fixedHeaders: () => headers, headers: async () => headers, refreshAfterUnauthorized: async () => false };
}

/** No credentials (client certificate only, or kubectl proxy). */
export function noAuth(): AuthProvider {
  return fixedAuth({});
}

/** A fixed bearer token: nothing to refresh. */
export function staticTokenAuth(token: Secret): AuthProvider {
  return fixedAuth({ authorization: `Bearer ${token.reveal()}` });
}

export function basicAuth(username: string, password: Secret): AuthProvider {
  return fixedAuth({ authorization: `Basic ${Buffer.from(`${username}:${password.reveal()}`).toString("base64")}` });
}
