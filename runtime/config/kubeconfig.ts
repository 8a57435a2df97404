import { readKubeconfigFiles, type KubeconfigPathOptions } from "./kubeconfig-files.js";
import { listContextsInDocuments, resolveKubeconfigDocuments } from "./kubeconfig-resolve.js";
import { withProxyFromEnvironment } from "./proxy-env.js";
import type { ClusterConnection } from "./types.js";

/** An explicit kubeconfig path (like `--kubeconfig`), a context, and the environment to read `KUBECONFIG`/`HOME` from. */
export interface LoadKubeconfigOptions extends KubeconfigPathOptions {
  /** Context to use instead of `current-context` (like `--context`). */
  context?: string | undefined;
  /** Where `context` came from, as errors name it (default: the `context` option). */
  contextFrom?: string | undefined;
}

/**
 * Loads a connection the way kubectl does: `kubeconfig` (only that file), else the `KUBECONFIG` list
 * merged (first definition wins), else `~/.kube/config`; without a `proxy-url`, the proxy the environment
 * names for the server (`HTTPS_PROXY`, `NO_PROXY`, ...), as kubectl.
 */
export async function loadKubeconfig(options: LoadKubeconfigOptions = {}): Promise<ClusterConnection> {
  const documents = await readKubeconfigFiles(options);
  const connection = await resolveKubeconfigDocuments(documents, { context: options.context, contextFrom: options.contextFrom });
  return withProxyFromEnvironment(connection, options.env ?? process.env);
}

/** The contexts kubectl would offer, and the current one. */
export async function listContexts(options: KubeconfigPathOptions = {}): Promise<{ names: string[]; current?: string }> {
  return listContextsInDocuments(await readKubeconfigFiles(options));
}

export { resolveKubeconfigDocuments, listContextsInDocuments } from "./kubeconfig-resolve.js";
export { readKubeconfigFiles, kubeconfigPaths, defaultKubeconfigPath, type KubeconfigDocument } from "./kubeconfig-files.js";
export { mergeKubeconfigDocuments } from "./kubeconfig-merge.js";
