import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";
import { describeUnavailable } from "./cluster.js";

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

/** A path inside the shared Kubernetes data (`../shared/k8s` beside the project root). */
export function sharedK8sPath(...parts: string[]): string {
  return resolve(projectRoot, "..", "shared", "k8s", ...parts);
}

/**
 * A describe block that reads `../shared/k8s/<relPath>`; when it is missing it fails under CI and is
 * skipped otherwise, naming the path. `fn` receives the absolute path.
 */
export function describeWithSharedData(relPath: string, name: string, fn: (absolutePath: string) => void): void {
  const absolutePath = sharedK8sPath(relPath);
  if (existsSync(absolutePath)) {
    describe(name, () => fn(absolutePath));
    return;
  }
  describeUnavailable(name, `needs the shared Kubernetes data at ${absolutePath} (see ../shared/k8s/README.md)`);
}
