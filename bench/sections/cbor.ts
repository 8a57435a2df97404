// CBOR (KEP-4222) against JSON on the same lists and watches of a real kube-apiserver started with
// CBORServingAndStorage: bytes on the wire, time to the last byte, and decode throughput, the decoders
// taking turns in this process on answers recorded once.
import { isDeepStrictEqual } from "node:util";
import { ensureControlPlaneBinaries, startLocalCluster, type LocalCluster } from "../../local-cluster/index.js";
import { DECODER_COLUMNS, loadDecoders, type Decoder } from "../cbor/decoders.js";
import { COLLECTIONS, recorder, seedCollections, type CollectionKind, type Recording, type WireFormat } from "../cbor/record.js";
import { adminClient } from "../setup/admin.js";
import type { RunContext } from "./context.js";

export const CBOR_TABLE = "cbor";
const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

/** One list or watch of the run, recorded in both formats. */
interface Scenario {
  label: string;
  kind: "list" | "watch";
  /** Objects of the collection in the answer; a watch's answer has one more item (the bookmark). */
  size: number;
  /** Items decoded: objects, or events. */
  items: number;
  answers: Record<WireFormat, Recording[]>;
}

const rowsOf = (label: string, unit: string) => ({
  wire: { scenario: label, metric: "on the wire", unit: "KB", better: "lower" as const },
  fetch: { scenario: label, metric: "request to last byte", unit: "ms", better: "lower" as const },
  decode: { scenario: label, metric: "decode", unit, better: "higher" as const },
});

export async function runCbor(context: RunContext): Promise<void> {
  const { counts } = context.sizes.cbor;
  context.collector.table(
    CBOR_TABLE,
    "CBOR vs JSON (kube-apiserver with CBORServingAndStorage, the decoders taking turns in one process)",
    DECODER_COLUMNS,
    "json: the runtime's path for a whole answer (JSON.parse) and its watch decoder; json-batched: its path for a page of a paged list (items parsed in batches as they arrive). cbor: cborg with a tokenizer reading Kubernetes' byte strings as text (bench/cbor/decode.ts); cbor-minimal: a decoder of ours for only what the server writes, the bound for any JavaScript decoder; cbor-x and cbor2 walk their result once more (they do not read byte-string keys as object keys). Each CBOR decoder's result is checked equal to the JSON one before it is timed.",
  );
  let cluster: LocalCluster | undefined;
  try {
    await ensureControlPlaneBinaries({ build: true, log: context.log });
    cluster = await startLocalCluster({ log: context.log, featureGates: { CBORServingAndStorage: true } });
    const scenarios = await recordScenarios(context, cluster.kubeconfigPath, Math.max(...counts));
    await measure(context, scenarios, await loadDecoders());
  } catch (error) {
    const reason = `failed: ${(error as Error).message.split("\n")[0]!.slice(0, 200)}`;
    context.log(`cbor: ${reason}`);
    for (const column of DECODER_COLUMNS) context.collector.notApplicable(CBOR_TABLE, rowsOf("every scenario", "objects/s").decode, column, reason);
  } finally {
    await cluster?.stop();
  }
}

async function recordScenarios(context: RunContext, kubeconfigPath: string, largest: number): Promise<Scenario[]> {
  const { counts, fetches } = context.sizes.cbor;
  const admin = await adminClient(kubeconfigPath);
  const started = performance.now();
  await seedCollections(admin, largest).finally(() => admin.close());
  context.log(`cbor: seeded ${largest.toLocaleString("en-US")} ConfigMaps and widgets in ${Math.round((performance.now() - started) / 1000)} s`);
  const { record, close } = await recorder(kubeconfigPath);
  const scenarios: Scenario[] = [];
  const both = async (path: string, until?: string) => {
    const answers: Record<WireFormat, Recording[]> = { json: [], cbor: [] };
    for (let i = 0; i < fetches; i++) for (const format of ["json", "cbor"] as const) answers[format].push(await record(path, format, until));
    return answers;
  };
  try {
    for (const kind of Object.keys(COLLECTIONS) as CollectionKind[]) {
      for (const count of counts) scenarios.push({ label: `${kind} list, ${count.toLocaleString("en-US")}`, kind: "list", size: count, items: count, answers: await both(`${COLLECTIONS[kind]}?limit=${count}`) });
      // A watch that starts with the collection (a streaming list): every object an ADDED event, then a bookmark.
      const watch = `${COLLECTIONS[kind]}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`;
      scenarios.push({ label: `${kind} watch, ${largest.toLocaleString("en-US")} ADDED + bookmark`, kind: "watch", size: largest, items: largest + 1, answers: await both(watch, INITIAL_EVENTS_END) });
    }
  } finally {
    await close();
  }
  return scenarios;
}

async function measure(context: RunContext, scenarios: Scenario[], decoders: Decoder[]): Promise<void> {
  const { rounds, librariesUpTo } = context.sizes.cbor;
  for (const scenario of scenarios) {
    const rows = rowsOf(scenario.label, scenario.kind === "list" ? "objects/s" : "events/s");
    const runnable: Decoder[] = [];
    for (const decoder of decoders) {
      const answers = scenario.answers[decoder.format];
      for (const answer of answers) context.collector.add(CBOR_TABLE, rows.wire, decoder.column, answer.bytes / 1024);
      for (const answer of answers) context.collector.add(CBOR_TABLE, rows.fetch, decoder.column, answer.ms);
      const skip = await whyNot(decoder, scenario, librariesUpTo);
      if (skip === undefined) runnable.push(decoder);
      else context.collector.notApplicable(CBOR_TABLE, rows.decode, decoder.column, skip);
    }
    context.log(`cbor: ${scenario.label}, ${runnable.length} decoders × ${rounds} rounds`);
    for (let round = 0; round < rounds; round++) {
      // Each round starts with the next decoder, so a GC left by one does not always land on the same other.
      for (const decoder of [...runnable.slice(round % runnable.length), ...runnable.slice(0, round % runnable.length)]) {
        const started = performance.now();
        await decodeOnce(decoder, scenario);
        context.collector.add(CBOR_TABLE, rows.decode, decoder.column, (scenario.items / (performance.now() - started)) * 1000);
      }
    }
  }
}

const decodeOnce = (decoder: Decoder, scenario: Scenario) => {
  const chunks = scenario.answers[decoder.format][0]!.chunks;
  return scenario.kind === "list" ? decoder.list!(chunks) : decoder.watch!(chunks);
};

/** Why `decoder` is not timed on `scenario`: missing, no such path, too slow to time at this size, or a result unlike JSON's. */
async function whyNot(decoder: Decoder, scenario: Scenario, librariesUpTo: number): Promise<string | undefined> {
  if (decoder.missing) return decoder.missing;
  if ((scenario.kind === "list" ? decoder.list : decoder.watch) === undefined) return `no ${scenario.kind} path`;
  if ((decoder.column === "cbor-x" || decoder.column === "cbor2") && scenario.size > librariesUpTo) return `timed up to ${librariesUpTo.toLocaleString("en-US")} objects (several times slower than cbor there)`;
  const json = withoutMoment(scenario.kind, await decodeOnce(DECODER_FOR_JSON, scenario));
  const mine = withoutMoment(scenario.kind, await decodeOnce(decoder, scenario));
  return isDeepStrictEqual(mine, json) ? undefined : "its result differs from what JSON.parse gives for the JSON answer";
}

type Event = { type: string; object: { metadata?: Record<string, unknown> } };

/**
 * An answer without what differs between two requests sent one after the other: a list's metadata (its
 * resourceVersion, and the continue token that holds it) and the resourceVersion of a watch's bookmark.
 */
function withoutMoment(kind: Scenario["kind"], answer: unknown): unknown {
  if (kind === "list") return { ...(answer as object), metadata: undefined };
  return (answer as Event[]).map((event) => (event.type === "BOOKMARK" ? { ...event, object: { ...event.object, metadata: { ...event.object.metadata, resourceVersion: undefined } } } : event));
}

/** The reference every decoder's result is compared with. */
const DECODER_FOR_JSON: Decoder = {
  column: "reference",
  format: "json",
  list: async (chunks) => JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown,
  watch: async (chunks) =>
    Buffer.concat(chunks)
      .toString("utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as unknown),
};
