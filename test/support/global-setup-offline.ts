// Global setup of the offline project (unit, types, corpus, golden): a temp root, and no cluster on purpose.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import type {} from "./provided-context.js";

/** These files run beside the cluster project's; one that needs the API server belongs in test/e2e or test/hardening. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tmpRoot = await mkdtemp(join(tmpdir(), "kubetyped-test-offline-"));
  project.provide("kubetypedTmpRoot", tmpRoot);
  project.provide("cluster", { available: false, reason: "the offline test project has no cluster: move a test that needs one to test/e2e or test/hardening" });
  return async () => {
    await rm(tmpRoot, { recursive: true, force: true });
  };
}
