import { access } from "node:fs/promises";
import { ConfigError } from "./errors.js";
import { LOCAL_CLUSTER_HINT } from "../core/local-cluster-hint.js";
import { loadInClusterConfig } from "./in-cluster.js";
import { defaultKubeconfigPath, kubeconfigPaths } from "./kubeconfig-files.js";
import { loadKubeconfig } from "./kubeconfig.js";
import type { ClusterConnection } from "./types.js";

/** Which configuration `resolveConnection`/`connect` use: an explicit kubeconfig or context, in-cluster, or kubectl's defaults. */
export interface ResolveConnectionOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  /** Where `context` came from, as errors name it: `--context`, `connect({ context })`. */
  contextFrom?: string | undefined;
  /** true: in-cluster only; false: kubeconfig only; unset: pick as described on `resolveConnection`. */
  inCluster?: boolean | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  homeDir?: string | undefined;
  serviceAccountDir?: string | undefined;
}

/**
 * Picks where the connection comes from: an explicit choice wins; otherwise a kubeconfig when
 * `KUBECONFIG` or `~/.kube/config` exists, else in-cluster when `KUBERNETES_SERVICE_HOST` is set.
 */
export async function resolveConnection(options: ResolveConnectionOptions = {}): Promise<ClusterConnection> {
  const env = options.env ?? process.env;
  const kubeconfigOptions = { env, kubeconfig: options.kubeconfig, context: options.context, contextFrom: options.contextFrom, homeDir: options.homeDir };
  const inClusterOptions = { env, serviceAccountDir: options.serviceAccountDir };
  if (options.inCluster === true) return loadInClusterConfig(inClusterOptions);
  if (options.inCluster === false || options.kubeconfig || options.context) return loadKubeconfig(kubeconfigOptions);
  const { fromEnv } = kubeconfigPaths(kubeconfigOptions);
  if (fromEnv || (await exists(defaultKubeconfigPath(kubeconfigOptions)))) return loadKubeconfig(kubeconfigOptions);
  if (env.KUBERNETES_SERVICE_HOST) return loadInClusterConfig(inClusterOptions);
  throw new ConfigError(`no cluster configured: set KUBECONFIG, use --context, or ${LOCAL_CLUSTER_HINT}`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export { ConfigError } from "./errors.js";
export { Secret } from "./secret.js";
export type { ClusterConnection, Credentials, ExecCredentialConfig, TlsSettings } from "./types.js";
export { loadKubeconfig, listContexts, resolveKubeconfigDocuments, type LoadKubeconfigOptions } from "./kubeconfig.js";
export { loadInClusterConfig, DEFAULT_SERVICE_ACCOUNT_DIR, type InClusterOptions } from "./in-cluster.js";
