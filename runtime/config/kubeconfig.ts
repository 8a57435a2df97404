import { readKubeconfigFiles, type KubeconfigPathOptions } from "./kubeconfig-files.js";
import { listContextsInDocuments, resolveKubeconfigDocuments } from "./kubeconfig-resolve.js";
import type { ClusterConnection } from "./types.js";

/** An explicit kubeconfig path (like `--kubeconfig`), a context, and the environment to read `KUBECONFIG`/`HOME` from. */
export interface LoadKubeconfigOptions extends KubeconfigPathOptions {
  /** Context to use instead of `current-context` (like `--context`). */
  context?: string;
}

/**
 * Loads a connection the way kubectl does: `kubeconfig` (only that file), else the `KUBECONFIG` list
 * merged (first definition wins), else `~/.kube/config`.
 */
export async function loadKubeconfig(options: LoadKubeconfigOptions = {}): Promise<ClusterConnection> {
  const documents = await readKubeconfigFiles(options);
  return resolveKubeconfigDocuments(documents, options.context === undefined ? {} : { context: options.context });
}

/** The contexts kubectl would offer, and the current one. */
export async function listContexts(options: KubeconfigPathOptions = {}): Promise<{ names: string[]; current?: string }> {
  return listContextsInDocuments(await readKubeconfigFiles(options));
}

export { resolveKubeconfigDocuments, listContextsInDocuments } from "./kubeconfig-resolve.js";
export { readKubeconfigFiles, kubeconfigPaths, defaultKubeconfigPath, type KubeconfigDocument } from "./kubeconfig-files.js";
export { mergeKubeconfigDocuments } from "./kubeconfig-merge.js";
