// What reaching one cluster takes (server, TLS, credentials): the connection the runtime resolves from a kubeconfig and the generator reads a cluster with.
import type { Secret } from "./secret.js";

/** TLS settings for one cluster, already resolved to bytes (files read, `*-data` decoded). */
export interface TlsSettings {
  /** PEM bundle of trusted CAs; absent means the system roots. */
  ca?: Buffer;
  /** Client certificate (PEM) for mutual TLS. */
  cert?: Buffer;
  /** Client private key (PEM). */
  key?: Secret<Buffer>;
  /** SNI and certificate name to verify instead of the server URL's host (`tls-server-name`). */
  serverName?: string;
  /** Only true when the kubeconfig says `insecure-skip-tls-verify: true`. */
  insecureSkipVerify: boolean;
}

/** An exec credential plugin as the kubeconfig describes it (`users[].user.exec`). */
export interface ExecCredentialConfig {
  apiVersion: string;
  command: string;
  args: string[];
  env: Array<{ name: string; value: string }>;
  installHint?: string;
  provideClusterInfo: boolean;
  interactiveMode?: string;
  /** Folder that relative `command` paths resolve against (the kubeconfig's folder). */
  baseDir?: string;
}

/** How requests prove who they are. Client certificates live in `TlsSettings`. */
export type Credentials =
  | { type: "none" }
  | { type: "token"; token: Secret }
  | { type: "tokenFile"; path: string }
  | { type: "basic"; username: string; password: Secret }
  | { type: "exec"; exec: ExecCredentialConfig };

/** Everything the runtime needs to reach one cluster, whatever the config came from. */
export interface ClusterConnection {
  /** Base URL, e.g. `https://127.0.0.1:6443` or `http://127.0.0.1:8001` (kubectl proxy); may carry a path prefix. */
  server: string;
  tls: TlsSettings;
  credentials: Credentials;
  /** Default namespace for namespaced calls ("default" when nothing says otherwise). */
  namespace: string;
  /** `proxy-url` of the cluster entry (http, https or socks5). */
  proxyUrl?: string;
  /** Human description used in errors, e.g. `kubeconfig ~/.kube/config, context "kind"` or `in-cluster`. */
  source: string;
  /** Context name when the connection came from a kubeconfig. */
  context?: string;
  /** The kubeconfig user entry the context names, for messages about its credentials. */
  user?: string;
}
