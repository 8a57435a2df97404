import type { ClusterConnection } from "../config/types.js";
import { execAuth, type ExecAuthOptions } from "./exec.js";
import type { AuthProvider } from "./provider.js";
import { basicAuth, noAuth, staticTokenAuth } from "./static.js";
import { tokenFileAuth } from "./token-file.js";

export interface CreateAuthProviderOptions {
  exec?: ExecAuthOptions;
}

/** The provider for a connection's credentials; client certificates from the kubeconfig stay in `connection.tls`. */
export function createAuthProvider(connection: ClusterConnection, options: CreateAuthProviderOptions = {}): AuthProvider {
  const credentials = connection.credentials;
  switch (credentials.type) {
    case "none":
      return noAuth();
    case "token":
      return staticTokenAuth(credentials.token);
    case "tokenFile":
      return tokenFileAuth(credentials.path);
    case "basic":
      return basicAuth(credentials.username, credentials.password);
    case "exec":
      return execAuth(credentials.exec, connection, options.exec);
  }
}

export type { AuthProvider, ClientCertificate } from "./provider.js";
export { AuthError } from "./errors.js";
export { rejectedCredentialsHint } from "./rejected.js";
export { parseExecCredential, type ExecCredential } from "./exec-plugin.js";
