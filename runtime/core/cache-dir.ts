// Where kubetyped caches things on this machine: the generator's document cache and the local control plane's builds.
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Per-user cache root: `${KUBETYPED_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/kubetyped}`. */
export function kubetypedCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBETYPED_CACHE_DIR) return resolve(env.KUBETYPED_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(env.HOME || homedir(), ".cache");
  return join(xdg, "kubetyped");
}
