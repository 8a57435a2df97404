import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Generated modules import the runtime by its package name; tests run it from source (the subpath exports
    // `kubetyped/runtime/<entry>` are runtime/entries/<entry>.ts, as package.json maps them in dist/).
    alias: [
      { find: /^kubetyped\/runtime$/, replacement: fileURLToPath(new URL("./runtime/index.ts", import.meta.url)) },
      { find: /^kubetyped\/runtime\/(\w+)$/, replacement: fileURLToPath(new URL("./runtime/entries/$1.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One worker (Vitest's default on 2 cores, made explicit): the e2e files share one API server, and some
    // change what it serves (CRDs) while others compare two generations from it.
    maxWorkers: 1,
    // Every file in that one process, sharing its module cache: importing runtime and generator once instead of
    // per file saved ~40 s of the run (import 55 s → 15 s). Sound while no file swaps a module, a global, the
    // environment or the clock (test/unit/suite-isolation.test.ts checks).
    isolate: false,
  },
});
