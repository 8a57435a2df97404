import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Generated modules import the runtime by its package name; tests run it from source.
    alias: { "kubetyped/runtime": fileURLToPath(new URL("./runtime/index.ts", import.meta.url)) },
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two workers on the 2-core machines: the offline files run beside the cluster files, which go one at a
    // time (they share one API server; some change what it serves, others compare two generations from it).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: "offline", include: ["test/{unit,types,corpus,golden}/**/*.test.ts"], globalSetup: ["test/support/global-setup-offline.ts"] },
      },
      {
        extends: true,
        test: { name: "cluster", include: ["test/{e2e,hardening}/**/*.test.ts"], globalSetup: ["test/support/global-setup.ts"], fileParallelism: false },
      },
    ],
  },
});
