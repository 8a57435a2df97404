// Child process: one generation, timed by the parent from spawn to exit (what a user waits for).
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { readJob, runWorker } from "./protocol.js";
import { peakRssMb } from "./peak-rss.js";

interface Job {
  tool: "kubetyped" | "openapi-typescript";
  /** A snapshot or OpenAPI folder (openapi-typescript: a folder of OpenAPI documents). */
  from?: string;
  /** A cluster instead of `from` (kubetyped only). */
  kubeconfig?: string;
  out: string;
  /** `--groups` (kubetyped only). */
  groups?: string[];
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
    const source = job.kubeconfig === undefined ? { from: job.from! } : { connection: await (await import("../../runtime/entries/plumbing.js")).loadKubeconfig({ kubeconfig: job.kubeconfig }) };
    const result = await generate({ ...source, out: job.out, ...(job.groups && { groups: job.groups }) });
    return { ms: performance.now() - generateStarted, importMs, groupVersions: result.groupVersions.length, reusedAll: result.reused.all, changedFiles: result.changes.length, peakRssMb: peakRssMb() };
  }
  // openapi-typescript: types only, one .d.ts per document, the way its CLI writes them.
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const from = job.from!;
  const documents = await documentsUnder(from);
  for (const document of documents) {
    const target = join(job.out, relative(from, document).replace(/\.json$/, ".d.ts"));
    await mkdir(join(target, ".."), { recursive: true });
    await writeFile(target, astToString(await openapiTS(pathToFileURL(document))));
  }
  return { ms: performance.now() - started, groupVersions: documents.length, peakRssMb: peakRssMb() };
});
