import type { Secret } from "../config/secret.js";
import type { AuthProvider } from "./provider.js";

/** No credentials (client certificate only, or kubectl proxy). */
export function noAuth(): AuthProvider {
  return { headers: async () => ({}), refreshAfterUnauthorized: async () => false };
}

/** A fixed bearer token: nothing to refresh. */
export function staticTokenAuth(token: Secret): AuthProvider {
  return {
    headers: async () => ({ authorization: `Bearer ${token.reveal()}` }),
    refreshAfterUnauthorized: async () => false,
  };
}

export function basicAuth(username: string, password: Secret): AuthProvider {
  const encoded = Buffer.from(`${username}:${password.reveal()}`).toString("base64");
  return {
    headers: async () => ({ authorization: `Basic ${encoded}` }),
    refreshAfterUnauthorized: async () => false,
  };
}
