// Why: a 401 should say which credential the server rejected, from which kubeconfig user, and how to get a good one.
import type { ClusterConnection, Credentials } from "../config/types.js";

/**
 * What to tell someone whose request was answered 401: the credential sent (after the transport already retried
 * once with a fresh one where that is possible), where it came from, and the likely fix.
 */
export function rejectedCredentialsHint(connection: ClusterConnection): string {
  const whose = connection.user !== undefined ? `user "${connection.user}" of ${connection.source}` : connection.source;
  return `the server rejected the credentials of ${whose}: ${credentialAdvice(connection.credentials, connection.tls.cert !== undefined)}`;
}

function credentialAdvice(credentials: Credentials, clientCertificate: boolean): string {
  switch (credentials.type) {
    case "token":
      return "a bearer token (user.token), which may have expired or been revoked; put a fresh token in the kubeconfig, or use an exec plugin that renews it";
    case "tokenFile":
      return `the token in ${credentials.path} (read again after the first 401), which may have expired or whose ServiceAccount may be gone; make sure the file holds a current token`;
    case "basic":
      return `username and password of "${credentials.username}"; most clusters do not accept basic auth (Kubernetes 1.19 removed it): use a token, client certificate or exec plugin`;
    case "exec": {
      const command = [credentials.exec.command, ...credentials.exec.args].join(" ");
      return `the credential of the exec plugin ${credentials.exec.command}, rejected again after the plugin was run anew; run \`${command}\` by hand to see whether it logs in to this cluster (an expired session, another account or cluster)`;
    }
    case "none":
      return clientCertificate
        ? "the client certificate (user.client-certificate), which may have expired or not be signed by a CA this cluster trusts for clients; check it with `openssl x509 -noout -enddate -issuer`"
        : "no credentials were sent (the context names no user, or the user has no token, certificate or exec plugin); add one to the kubeconfig";
  }
}
