// Peak RSS of an informer's initial sync and of a forced relist, streaming list vs paged list, on a live cluster.
// Run: npm run build && node dist/bench/streaming-lists.js --kubeconfig PATH [--objects 100000] [--runs 3]
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { KubeClient } from "../runtime/index.js";
import { createInformer } from "../runtime/entries/controller.js";
import { createTransport, defineResource, loadKubeconfig, type RequestTransport } from "../runtime/entries/plumbing.js";
import { peakRssMb } from "./workers/peak-rss.js";

const NAMESPACE = "bench-streaming-lists";
const configmaps = defineResource<{ metadata: { name: string; labels?: Record<string, string> }; data?: Record<string, string> }>()({
  group: "",
  version: "v1",
  plural: "configmaps",
  kind: "ConfigMap",
  namespaced: true,
  verbs: ["create", "list", "watch"],
});
const namespaces = defineResource<{ metadata: { name: string } }>()({ group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false, verbs: ["create"] });

interface Measurement {
  mode: "stream" | "paged";
  objects: number;
  syncMs: number;
  syncPeakMb: number;
  relistMs: number;
  relistPeakMb: number;
  firstRequest: string;
}

const { values } = parseArgs({
  options: { kubeconfig: { type: "string" }, objects: { type: "string", default: "100000" }, runs: { type: "string", default: "3" }, child: { type: "string" } },
});
if (!values.kubeconfig) throw new Error("pass --kubeconfig PATH of the cluster to measure against (a throwaway one: it creates --objects ConfigMaps)");

if (values.child === "stream" || values.child === "paged") {
  process.stdout.write(JSON.stringify(await measure(values.kubeconfig, values.child)) + "\n");
} else {
  await main(values.kubeconfig, Number(values.objects), Number(values.runs));
}

async function main(kubeconfig: string, objects: number, runs: number): Promise<void> {
  const created = await ensureConfigMaps(kubeconfig, objects);
  console.log(`${objects} ConfigMaps in ${NAMESPACE}: ${created.created} created in ${(created.ms / 1000).toFixed(1)} s`);
  const results: Measurement[] = [];
  // Alternated, so a drift of the machine's load touches both modes alike.
  for (let run = 0; run < runs; run++) for (const mode of ["stream", "paged"] as const) results.push(await child(kubeconfig, mode));
  for (const result of results) console.log(JSON.stringify(result));
  for (const mode of ["stream", "paged"] as const) {
    const mine = results.filter((result) => result.mode === mode);
    const span = (pick: (result: Measurement) => number, digits = 0) => {
      const sorted = mine.map(pick).sort((a, b) => a - b);
      return `${sorted[Math.floor(sorted.length / 2)]!.toFixed(digits)} (${sorted[0]!.toFixed(digits)}–${sorted.at(-1)!.toFixed(digits)})`;
    };
    console.log(`| ${mode} | ${span((r) => r.syncPeakMb)} MB | ${span((r) => r.syncMs / 1000, 1)} s | ${span((r) => r.relistPeakMb)} MB | ${span((r) => r.relistMs / 1000, 1)} s |`);
  }
}

/** Creates the missing ConfigMaps (small ones), 64 requests at a time. */
async function ensureConfigMaps(kubeconfig: string, objects: number): Promise<{ created: number; ms: number }> {
  const kube = new KubeClient(createTransport(await loadKubeconfig({ kubeconfig }), { warnings: false }), { namespace: NAMESPACE });
  try {
    await kube.resource(namespaces).create({ metadata: { name: NAMESPACE } }).catch(() => {}); // it may exist already
    const cms = kube.resource(configmaps);
    const existing = new Set<string>();
    for await (const object of cms.listAll({ limit: 5000 })) existing.add(object.metadata.name);
    const missing = Array.from({ length: objects }, (_, index) => `cm-${index}`).filter((name) => !existing.has(name));
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 64 }, async () => {
      while (next < missing.length) await cms.create({ metadata: { name: missing[next++]!, labels: { bench: "streaming-lists" } }, data: { value: "x" } });
    }));
    return { created: missing.length, ms: performance.now() - started };
  } finally {
    await kube.close();
  }
}

/** One measurement in a fresh process, so each peak RSS is that mode's own. */
function child(kubeconfig: string, mode: "stream" | "paged"): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, [fileURLToPath(import.meta.url), "--kubeconfig", kubeconfig, "--child", mode], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    process_.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    process_.on("exit", (code) => (code === 0 ? resolve(JSON.parse(output) as Measurement) : reject(new Error(`the ${mode} measurement exited with ${code}`))));
  });
}

/**
 * Syncs an informer over the namespace, then forces a relist: the watch connection is cut and the reconnect
 * answered with 410 Gone by the transport wrapper below (the server would answer so after etcd compacted the
 * version), so the relist itself is a real one against the server while the old store is still held.
 */
async function measure(kubeconfig: string, mode: "stream" | "paged"): Promise<Measurement> {
  const inner = createTransport(await loadKubeconfig({ kubeconfig }), { warnings: false });
  const sent: string[] = [];
  const cut = { requested: false, answered410: false, abort: new AbortController() };
  const transport: RequestTransport = {
    server: inner.server,
    close: () => inner.close(),
    async send(request) {
      sent.push(request.path);
      if (process.env.BENCH_DEBUG) console.error(Math.round(performance.now()), request.path);
      const watching = request.path.includes("watch=true");
      if (watching && cut.requested && !cut.answered410) {
        cut.answered410 = true;
        return expired();
      }
      const response = await inner.send(request);
      // Only the connection open when the relist is forced is cut; the relist's own is left alone.
      return watching && !cut.requested ? { ...response, body: cuttable(response.body, cut.abort.signal) } : response;
    },
  };
  const kube = new KubeClient(transport, { namespace: NAMESPACE });
  const started = performance.now();
  const informer = createInformer(kube.resource(configmaps), { streamingLists: mode === "stream" });
  await informer.synced;
  const syncMs = performance.now() - started;
  const syncPeakMb = peakRssMb();
  const objects = informer.list().length;
  const relistStarted = performance.now();
  cut.requested = true;
  cut.abort.abort();
  while (informer.listCount < 2) await new Promise((resolve) => setTimeout(resolve, 20));
  const relistMs = performance.now() - relistStarted;
  const relistPeakMb = peakRssMb();
  await informer.stop();
  await kube.close();
  return { mode, objects, syncMs, syncPeakMb, relistMs, relistPeakMb, firstRequest: sent[0]! };
}

function expired() {
  const status = { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410, message: "too old resource version (forced by the benchmark)" };
  const text = JSON.stringify(status);
  return { statusCode: 410, headers: { "content-type": "application/json" }, body: { text: async () => text, async *[Symbol.asyncIterator]() {} } };
}

/** The watch body, failing like a reset connection once `signal` aborts. */
function cuttable(body: AsyncIterable<Uint8Array> & { text(): Promise<string> }, signal: AbortSignal) {
  return {
    text: () => body.text(),
    async *[Symbol.asyncIterator]() {
      const reset = new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(Object.assign(new Error("cut by the benchmark"), { code: "ECONNRESET" })), { once: true }));
      reset.catch(() => {});
      const chunks = body[Symbol.asyncIterator]();
      try {
        for (;;) {
          const next = await Promise.race([chunks.next(), reset]);
          if (next.done) return;
          yield next.value;
        }
      } finally {
        // Not awaited: the body's own iterator settles return() only after its pending read, the next bookmark.
        void chunks.return?.()?.catch(() => {});
        (body as { destroy?: () => void }).destroy?.();
      }
    },
  };
}
