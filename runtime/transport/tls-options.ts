import type { ConnectionOptions } from "node:tls";
import type { TlsSettings } from "../config/types.js";
import type { ClientCertificate } from "../auth/provider.js";

/**
 * Node TLS options for a cluster. Verification is off only when the kubeconfig says
 * `insecure-skip-tls-verify: true`; a certificate from an exec plugin replaces the kubeconfig's.
 */
export function tlsConnectOptions(tls: TlsSettings, pluginCertificate?: ClientCertificate): ConnectionOptions {
  const options: ConnectionOptions = { rejectUnauthorized: tls.insecureSkipVerify !== true };
  if (tls.ca) options.ca = tls.ca;
  const cert = pluginCertificate?.cert ?? tls.cert;
  const key = pluginCertificate?.key ?? tls.key;
  if (cert && key) {
    options.cert = cert;
    options.key = key.reveal();
  }
  if (tls.serverName) options.servername = tls.serverName;
  return options;
}
