import { readFile, access } from "node:fs/promises";
import { constants } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { withProxyFromEnvironment } from "./proxy-env.js";
import { ConfigError } from "./errors.js";
import type { ClusterConnection } from "./types.js";

export const DEFAULT_SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The environment (`KUBERNETES_SERVICE_HOST`/`_PORT`) and the service-account folder to read (overridable for tests). */
export interface InClusterOptions {
  env?: NodeJS.ProcessEnv | undefined;
  /** Folder with `token`, `ca.crt`, `namespace`; also settable by `KUBETYPED_SERVICEACCOUNT_DIR`. */
  serviceAccountDir?: string | undefined;
}

/**
 * The connection a pod gets from its ServiceAccount, like client-go's `rest.InClusterConfig`.
 * The token stays a file reference: the kubelet rotates it, so it is re-read rather than captured.
 */
export async function loadInClusterConfig(options: InClusterOptions = {}): Promise<ClusterConnection> {
  const env = options.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new ConfigError(
      "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set; use a kubeconfig outside a pod",
      { field: host ? "KUBERNETES_SERVICE_PORT" : "KUBERNETES_SERVICE_HOST" },
    );
  }
  const dir = options.serviceAccountDir ?? env.KUBETYPED_SERVICEACCOUNT_DIR ?? DEFAULT_SERVICE_ACCOUNT_DIR;
  const tokenPath = path.join(dir, "token");
  try {
    await access(tokenPath, constants.R_OK);
  } catch (error) {
    throw new ConfigError(
      `cannot read the ServiceAccount token (${(error as NodeJS.ErrnoException).code}); is automountServiceAccountToken disabled for this pod?`,
      { file: tokenPath, cause: error },
    );
  }
  const caPath = path.join(dir, "ca.crt");
  let ca: Buffer;
  try {
    ca = await readFile(caPath);
  } catch (error) {
    throw new ConfigError(`cannot read the cluster CA (${(error as NodeJS.ErrnoException).code})`, { file: caPath, cause: error });
  }
  let namespace = "default";
  try {
    namespace = (await readFile(path.join(dir, "namespace"), "utf8")).trim() || "default";
  } catch {
    // client-go also falls back to "default" when the namespace file is absent.
  }
  const hostPart = isIP(host) === 6 ? `[${host}]` : host;
  const connection: ClusterConnection = {
    server: `https://${hostPart}:${port}`,
    tls: { ca, insecureSkipVerify: false },
    credentials: { type: "tokenFile", path: tokenPath },
    namespace,
    source: `in-cluster (ServiceAccount files in ${dir})`,
  };
  // client-go's in-cluster transport takes the environment's proxy too (NO_PROXY usually names the service network).
  return withProxyFromEnvironment(connection, env);
}
