/** Everything tests need to reach a local control plane; plain data, so it can cross process boundaries. */
export interface LocalClusterInfo {
  /** `https://127.0.0.1:PORT`. */
  server: string;
  /** State folder: certificates, tokens, kubeconfig, etcd data, logs. Removed by stop(). */
  dir: string;
  /** Context `kubetyped-local` (admin client certificate by file path, namespace default) is current; see `contexts`. */
  kubeconfigPath: string;
  caFile: string;
  /** CA key, so tests can issue more client certificates (pki.ts `issueClientCertificate`). */
  caKeyFile: string;
  /** Serving certificate for a kubelet on 127.0.0.1 (the stand-in); kube-apiserver trusts it through `caFile`. */
  kubelet: { certFile: string; keyFile: string };
  /** Member of system:masters by certificate (CN=kubetyped-admin) and by token. */
  admin: { user: "kubetyped-admin"; certFile: string; keyFile: string; token: string };
  /**
   * Identities without RBAC bindings (403 on anything beyond discovery): the token belongs to user
   * `alice`, the client certificate to user `certUser` (CN=bob).
   */
  unprivileged: { user: "alice"; token: string; certUser: "bob"; certFile: string; keyFile: string };
  /** Context names written into the kubeconfig. */
  contexts: { adminCert: string; adminToken: string; aliceToken: string; bobCert: string };
  /** Names in the serving certificate (for `tls-server-name`), and one that is not. */
  tls: { serverNames: string[]; nameNotInCertificate: string };
  serviceAccountIssuer: string;
  etcd: { endpoint: string; pid: number; logFile: string };
  apiserver: { pid: number; logFile: string };
  /** gitVersion the server reports. */
  version: string;
  /** Milliseconds from start to ready. */
  startupMs: number;
}

export interface LocalCluster extends LocalClusterInfo {
  /** Stops exactly the processes this cluster started (SIGTERM, then SIGKILL) and removes `dir`. */
  stop(): Promise<void>;
}

/** What the vitest global setup provides as `inject("cluster")`. */
export type LocalClusterAvailability =
  | ({ available: true } & LocalClusterInfo)
  | { available: false; reason: string };
