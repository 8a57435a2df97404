import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export { kubetypedCacheDir } from "../runtime/core/cache-dir.js";

/**
 * The folder holding kubetyped's package.json. Walks up from this module because it runs both from
 * source (local-cluster/) and compiled (dist/local-cluster/).
 */
export function findProjectRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && readPackageName(manifest) === "kubetyped") return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`cannot find kubetyped's package.json in any folder above ${from}`);
    }
    dir = parent;
  }
}

function readPackageName(manifest: string): string | undefined {
  try {
    const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown };
    return typeof parsed.name === "string" ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}
