import { join } from "node:path";
import { kubetypedCacheDir } from "../../runtime/core/cache-dir.js";

/**
 * Default folder of the OpenAPI document cache: `<kubetyped cache>/openapi`, i.e.
 * `${KUBETYPED_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/kubetyped}/openapi` — the same root the local
 * control plane caches its kube-apiserver build under.
 */
export function defaultOpenApiCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(kubetypedCacheDir(env), "openapi");
}
