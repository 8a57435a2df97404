// What one bench run does and how big: the full run and `--quick` differ only in these numbers.

export const NAMESPACES = { read: "bench-read", write: "bench-write", watch: "bench-watch", big: "bench-big", manyWatches: "bench-watch-many" } as const;

/** The canned server's namespace holding `count` pods for the scale section (made as they are listed). */
export const scaleNamespace = (count: number) => `bench-scale-${count}`;
/** The one pod every `get` reads and the one a watch burst modifies. */
export const GET_POD = "pod-00000";
export const WATCH_POD = "burst-target";

export interface BenchSizes {
  /** Fresh-process rounds of the request scenarios per contender and target. */
  rounds: number;
  /** Each request scenario warms up for at least this long (V8 has compiled every client's hot path by then). */
  warmupMs: number;
  /** ...and measures for at least this long, and at least the scenario's count. */
  measureMs: number;
  getRequests: number;
  /** The interleaved section: blocks per contender (after one warm-up block) and gets per block (creates: a quarter; lists: a fiftieth, at least 10). */
  interleaved: { blocks: number; requests: number };
  getConcurrency: number;
  listSize: number;
  listRepeats: number;
  writes: number;
  /** Changes in the watch burst on the real API server (sent one by one by a separate client). */
  watchEvents: number;
  /**
   * ...and from the canned server, which writes them all at once: enough that the burst lasts a few hundred
   * milliseconds, so one GC pause or JIT step is not the whole measurement.
   */
  cannedWatchEvents: number;
  /** Objects in the memory scenarios (10,000 in the full run). */
  bigCount: number;
  pageSize: number;
  memoryRounds: number;
  coldRuns: number;
  typecheckRuns: number;
  generationRuns: number;
  scale: ScaleSizes;
  /** The port-forward section: MB (10^6 bytes) each way per transfer, and transfers per contender and direction. */
  portForward: { megabytes: number; runs: number };
  cbor: CborSizes;
  /** The validation-cost section: validate() calls timed, and dryRun=All round trips, per kind and round. */
  validation: { validations: number; roundTrips: number };
}

/** The CBOR section (bench/sections/cbor.ts), on its own kube-apiserver with CBORServingAndStorage. */
export interface CborSizes {
  /** Objects in the lists, smallest first; the collections hold the largest, which the watches stream. */
  counts: number[];
  /** Turns of every decoder on every answer. */
  rounds: number;
  /** Times each answer is fetched in each format (the wire rows). */
  fetches: number;
  /** cbor-x and cbor2 are timed up to this many objects only. */
  librariesUpTo: number;
}

/** The scale section (bench/sections/scale.ts): big clusters. */
export interface ScaleSizes {
  /** CRDs in the generated clusters, smallest first; the last is the one every generation row is about. */
  crdSeries: number[];
  /** Fresh-process runs of each generation row at the largest size (the smaller sizes run once). */
  generationRuns: number;
  /** Pods in the big collections of the canned server, smallest first. */
  objectSeries: number[];
  /** Watches held at once in the many-watches rows, and the burst each one sees. */
  watches: number;
  burstPerWatch: number;
  /** Turns per contender in the interleaved watch-decoding rows (after one warm-up turn). */
  decodingBlocks: number;
  /** How long CRDs are installed into a real kube-apiserver; 0 skips that part. */
  apiserverCrdBudgetMs: number;
}

// Sized so the full run stays under 15 minutes on a loaded 2-core machine (the first full run, with twice
// these request counts, took about 20).
export const FULL: BenchSizes = {
  rounds: 3,
  warmupMs: 1500,
  measureMs: 1500,
  getRequests: 1000,
  interleaved: { blocks: 10, requests: 3000 },
  getConcurrency: 16,
  listSize: 500,
  listRepeats: 10,
  writes: 50,
  watchEvents: 300,
  cannedWatchEvents: 20_000,
  bigCount: 10_000,
  pageSize: 500,
  memoryRounds: 2,
  coldRuns: 5,
  typecheckRuns: 3,
  generationRuns: 3,
  scale: {
    crdSeries: [500, 1_000, 2_000],
    generationRuns: 2,
    objectSeries: [10_000, 50_000, 100_000],
    watches: 100,
    burstPerWatch: 200,
    decodingBlocks: 10,
    apiserverCrdBudgetMs: 60_000,
  },
  portForward: { megabytes: 64, runs: 5 },
  cbor: { counts: [1_000, 10_000], rounds: 7, fetches: 3, librariesUpTo: 1_000 },
  validation: { validations: 1_000, roundTrips: 50 },
};

export const QUICK: BenchSizes = {
  rounds: 1,
  warmupMs: 0,
  measureMs: 0,
  getRequests: 200,
  interleaved: { blocks: 2, requests: 200 },
  getConcurrency: 16,
  listSize: 500,
  listRepeats: 3,
  writes: 10,
  watchEvents: 100,
  cannedWatchEvents: 100,
  bigCount: 1_000,
  pageSize: 500,
  memoryRounds: 1,
  coldRuns: 1,
  typecheckRuns: 1,
  generationRuns: 1,
  scale: {
    crdSeries: [10, 40],
    generationRuns: 1,
    objectSeries: [300, 1_200],
    watches: 10,
    burstPerWatch: 50,
    decodingBlocks: 1,
    apiserverCrdBudgetMs: 0,
  },
  portForward: { megabytes: 4, runs: 1 },
  cbor: { counts: [100, 200], rounds: 1, fetches: 1, librariesUpTo: 200 },
  validation: { validations: 100, roundTrips: 10 },
};

/** How many changes a watch burst from `target` has. */
export function watchBurstSize(sizes: BenchSizes, target: TargetInfo["id"]): number {
  return target === "canned" ? sizes.cannedWatchEvents : sizes.watchEvents;
}

/** A target as workers see it: plain data, passed to child processes as JSON. */
export interface TargetInfo {
  id: "canned" | "apiserver";
  label: string;
  kubeconfigPath: string;
}

/** Everything a worker child needs besides its own scenario. */
export interface WorkerContext {
  contender: string;
  target: TargetInfo;
  sizes: BenchSizes;
  /** Compiled generated core/v1 module (kubetyped contender). */
  generatedCoreV1: string;
  /** Distinguishes object names across rounds so creates never collide. */
  runTag: string;
}

/** Request scenarios, in the order a worker runs them (here, not in the worker: importing a worker runs it). */
export const REQUEST_SCENARIOS = ["get", "list", "create", "apply", "watch"] as const;
export type RequestScenario = (typeof REQUEST_SCENARIOS)[number];
export const MEMORY_SCENARIOS = ["list-paginated", "informer"] as const;
/** Informers that keep less of each object (a transform, metadata only): measured in the scale section. */
export const LEAN_INFORMER_SCENARIOS = ["informer-transform", "informer-metadata", "informer-metadata-lean"] as const;
/**
 * Paging through the collection metadata only, keeping nothing: the floor under any metadata-only informer's
 * peak RSS in one process (the page's own decoding, undici, V8's young generation). Scale section only.
 */
export const METADATA_LIST_SCENARIO = "list-metadata-paginated";
export type ListScenario = "list-paginated" | typeof METADATA_LIST_SCENARIO;
/** Whether a memory scenario pages through the collection (keeping nothing) rather than holding it. */
export const isListScenario = (scenario: MemoryScenario): scenario is ListScenario => scenario === "list-paginated" || scenario === METADATA_LIST_SCENARIO;
export type MemoryScenario = (typeof MEMORY_SCENARIOS)[number] | (typeof LEAN_INFORMER_SCENARIOS)[number] | typeof METADATA_LIST_SCENARIO;

/** The interleaved section: kubetyped against the floor, in one process (bench/workers/interleaved.ts). */
export const INTERLEAVED_CONTENDERS = ["kubetyped", "undici"] as const;
export const INTERLEAVED_SCENARIOS = ["get", "list", "create"] as const;
export type InterleavedScenario = (typeof INTERLEAVED_SCENARIOS)[number];
/** Each block's requests per second and p99 latency (ms), by scenario and contender. */
export type InterleavedResult = Record<InterleavedScenario, Record<string, { perSecond: number[]; p99Ms: number[] }>>;

/** The scale section's watch decoding (bench/workers/watch-decoding.ts): events/s of each turn, by contender. */
export type DecodingResult = Record<"single" | "many", Record<string, number[]>>;
