import type { ConnectionOptions } from "node:tls";
import type { TlsSettings } from "../config/types.js";
import type { ClientCertificate } from "../auth/provider.js";

/** Node's TLS options with no property set to undefined: undici's connector types, stricter than node's, refuse one. */
export type TlsConnectOptions = { [K in keyof ConnectionOptions]?: Exclude<ConnectionOptions[K], undefined> };

/**
 * Node TLS options for a cluster. Verification is off only when the kubeconfig says
 * `insecure-skip-tls-verify: true`; a certificate from an exec plugin replaces the kubeconfig's.
 */
export function tlsConnectOptions(tls: TlsSettings, pluginCertificate?: ClientCertificate): TlsConnectOptions {
  const options: TlsConnectOptions = { rejectUnauthorized: tls.insecureSkipVerify !== true };
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
