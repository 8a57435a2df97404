// Child process: one generation, timed by the parent from spawn to exit (what a user waits for).
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { readJob, runWorker } from "./protocol.js";
import { peakRssMb } from "./peak-rss.js";

interface Job {
  tool: "kubetyped" | "openapi-typescript";
  from: string;
  out: string;
}

async function documentsUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".json")).map((e) => join(e.parentPath, e.name)).sort();
}

runWorker(async () => {
  const job = readJob<Job>();
  const started = performance.now();
  if (job.tool === "kubetyped") {
    const { generate } = await import("../../generator/generate.js");
    const importMs = performance.now() - started;
    const generateStarted = performance.now();
    const result = await generate({ from: job.from, out: job.out });
    return { ms: performance.now() - generateStarted, importMs, groupVersions: result.groupVersions.length, reusedAll: result.reused.all, peakRssMb: peakRssMb() };
  }
  // openapi-typescript: types only, one .d.ts per document, the way its CLI writes them.
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const documents = await documentsUnder(job.from);
  for (const document of documents) {
    const target = join(job.out, relative(job.from, document).replace(/\.json$/, ".d.ts"));
    await mkdir(join(target, ".."), { recursive: true });
    await writeFile(target, astToString(await openapiTS(pathToFileURL(document))));
  }
  return { ms: performance.now() - started, groupVersions: documents.length, peakRssMb: peakRssMb() };
});
