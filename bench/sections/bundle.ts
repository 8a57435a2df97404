// Bundle: esbuild, minified, platform node, everything but Node built-ins inlined; raw and gzip size.
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { CONTENDERS } from "../contenders/index.js";
import type { RunContext } from "./context.js";

export async function runBundle(context: RunContext): Promise<void> {
  const id = "bundle";
  context.collector.table(id, "Bundle (esbuild --bundle --minify --platform=node, the list-pods program)", CONTENDERS, "kubetyped bundles the published runtime (dist) plus the generated core/v1 module.");
  const raw = { scenario: "list pods program", metric: "minified", unit: "KB", better: "lower" as const };
  const gzip = { scenario: "list pods program", metric: "minified + gzip", unit: "KB", better: "lower" as const };
  for (const contender of CONTENDERS) {
    try {
      const result = await build({
        entryPoints: [context.workspace.programTs(contender)],
        bundle: true,
        minify: true,
        platform: "node",
        format: "esm",
        target: "node20",
        write: false,
        logLevel: "silent",
        absWorkingDir: context.root,
        // The front door and each subpath export (esbuild picks the longest alias that matches).
        alias: {
          "kubetyped/runtime": join(context.root, "dist", "runtime", "index.js"),
          ...Object.fromEntries(["controller", "streams", "validate", "plumbing"].map((entry) => [`kubetyped/runtime/${entry}`, join(context.root, "dist", "runtime", "entries", `${entry}.js`)])),
        },
      });
      const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
      const zipped = result.outputFiles.reduce((sum, file) => sum + gzipSync(file.contents, { level: 9 }).byteLength, 0);
      context.collector.add(id, raw, contender, bytes / 1024);
      context.collector.add(id, gzip, contender, zipped / 1024);
    } catch (error) {
      const reason = `esbuild failed: ${(error as Error).message.split("\n").slice(0, 2).join(" ")}`.slice(0, 300);
      context.collector.notApplicable(id, raw, contender, reason);
      context.collector.notApplicable(id, gzip, contender, reason);
    }
  }
}
