import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Generated modules import the runtime by its package name; tests run it from source.
    alias: { "kubetyped/runtime": fileURLToPath(new URL("./runtime/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default is one worker per core minus one: a single worker on our 2-core machines. Most e2e
    // time is spent waiting on the API server, tsc or child processes, so two workers cut the suite by a third.
    maxWorkers: 2,
  },
});
