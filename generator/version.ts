import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * kubetyped's own version, read from its package.json. Walks up from this module because it runs both from
 * source (generator/) and compiled (dist/generator/).
 */
function readPackageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (parsed.name === "kubetyped" && typeof parsed.version === "string") return parsed.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return "0.0.0";
    dir = parent;
  }
}

export const GENERATOR_VERSION: string = readPackageVersion();

/** The runtime versions generated code works with: same major.minor line (0.x minors may break). */
export const RUNTIME_VERSION_RANGE: string = `^${GENERATOR_VERSION}`;
