// The controller loop: informers for the primary and its related resources feed a work queue that N workers reconcile.
import type { ResourceDescriptor } from "../api/descriptor.js";
import type { ClientNeeding } from "../api/verb-needs.js";
import { informerFrom, type Informer, type InformerObject, type InformerOptions, type InformerSource } from "../informer/informer.js";
import type { Stored } from "../informer/reflector.js";
import { checkDuration, RequestValidationError } from "../request/validation.js";
import { messageOf, warn } from "./resource-factory.js";
import { keyOf, ownedSources, splitKey, type OwnedSource, type RelatedSource } from "./sources.js";
import { createWorkQueue, type WorkQueue, type WorkQueueOptions } from "./work-queue.js";

/** What `reconcile` gets besides the key. */
export interface ReconcileContext<T> {
  namespace: string | undefined;
  name: string;
  /** The primary object as the informer holds it now; undefined when it is gone (deleted, or never there). */
  object: T | undefined;
  /** Aborts when the controller stops (or loses leadership): pass it to your requests. */
  signal: AbortSignal;
  /** Failed attempts of this key since its last success. */
  retries: number;
}

/** What `reconcile` may answer: nothing (done until something changes), or when to look again. */
export interface ReconcileResult {
  /** Reconcile this key again after this many milliseconds, even if nothing changes. */
  requeueAfterMs?: number;
}

/** What `reconcile` may answer, as its type: a result or nothing, at once or as a promise. */
export type ReconcileAnswer = ReconcileResult | void | Promise<ReconcileResult | void>;

/** The fields of a reconcile answer (`A`: its type, a promise or not) that `ReconcileResult` does not have. */
type UnknownResultFields<A> = Awaited<A> extends infer R ? (R extends object ? Exclude<keyof R, keyof ReconcileResult> & string : never) : never;

/**
 * The answer type of a reconcile as `createController` checks it, `A` being what the function answers: `A` when it
 * fits; a message naming the field it misspelled (an object literal returned from a function escapes the excess
 * property check); else `ReconcileAnswer`, for the ordinary message.
 */
export type CheckedReconcileAnswer<A> = A extends ReconcileAnswer
  ? A
  : [UnknownResultFields<A>] extends [never]
    ? ReconcileAnswer
    : `reconcile answers nothing or { requeueAfterMs }; it has no ${UnknownResultFields<A>}`;

/** What to watch, how to reconcile, and how many workers. */
export interface ControllerOptions<T extends Stored> {
  /** The primary resource: a resource client with `list` and `watch` (`kube.resource(widgets)`). */
  resource: InformerSource<T>;
  /** Scope, selectors, resync and transform of the primary informer. */
  informer?: InformerOptions<ResourceDescriptor, T> | undefined;
  /** Collections whose objects name a primary object in `metadata.ownerReferences`: their changes queue that owner. */
  owns?: readonly OwnedSource[] | undefined;
  /** Other collections, mapped to primary keys by a function (see `watchRelated`). */
  watches?: readonly RelatedSource[] | undefined;
  /**
   * Brings the object named by `key` (`namespace/name`) to its desired state. Throwing retries the key with
   * backoff; answering `{ requeueAfterMs }` looks again later. It is never called for one key twice at once.
   */
  reconcile(key: string, context: ReconcileContext<T>): ReconcileAnswer;
  /** Keys reconciled at the same time (different keys only). Default 1. */
  workers?: number | undefined;
  /** Retry backoff and rate limit of the work queue (client-go's defaults). */
  queue?: WorkQueueOptions<string> | undefined;
  /** Failed reconciles (with their key) and informer errors (without); default: a process warning. */
  onError?(error: unknown, key: string | undefined): void;
}

/** A controller: `run(signal)` until the signal aborts. */
export interface Controller<T> {
  /**
   * Starts the informers, waits until each has listed, then reconciles with the workers until `signal` aborts;
   * resolves when every worker has finished its key and every informer has stopped. Rejects when an informer
   * fails for good (401, 403, 404). A controller runs once.
   */
  run(signal: AbortSignal): Promise<void>;
  /** The work queue (its `length` and `processing` show the backlog). */
  readonly queue: WorkQueue<string>;
  /** The primary object under `key`, from the informer (undefined before `run` or when absent). */
  get(key: string): T | undefined;
  /** True once every informer has listed. */
  readonly hasSynced: boolean;
}

/**
 * A controller as client-go and kube-rs shape one: an informer for the primary resource and for owned or
 * related ones, a rate-limited work queue of `namespace/name` keys (a burst of changes to one object is one
 * reconcile), and `workers` calling `reconcile(key)`; failures retry with backoff.
 *
 * ```ts
 * const controller = createController({
 *   resource: kube.resource(widgets),
 *   owns: [kube.resource(configMaps)],
 *   reconcile: async (key, { object }) => { ... },
 * });
 * await controller.run(signal);
 * ```
 */
export function createController<S extends object, A>(options: CheckedControllerOptions<S, A>): Controller<InformerObject<S>> {
  return controllerOf(options as unknown as ControllerOptions<InformerObject<S>>);
}

/**
 * `ControllerOptions` as `createController` checks them, `S` being the resource client's type and `A` what
 * `reconcile` answers. A client with `list` and `watch` gets `ReconcilerOptions` of its objects (the type messages
 * about the other options show, short); any other meets `ResourceOptions`, whose `resource` names the verbs it lacks.
 */
export type CheckedControllerOptions<S, A> = S extends InformerSource<infer T extends Stored> ? ReconcilerOptions<T, A> : ResourceOptions<S, A>;

/** `ControllerOptions` whose `reconcile` answer `A` is checked: a misspelled field is named. */
export interface ReconcilerOptions<T extends Stored, A> extends Omit<ControllerOptions<T>, "reconcile"> {
  /**
   * Brings the object named by `key` (`namespace/name`) to its desired state. Throwing retries the key with
   * backoff; answering `{ requeueAfterMs }` looks again later. It is never called for one key twice at once.
   */
  reconcile(key: string, context: ReconcileContext<T>): CheckedReconcileAnswer<A>;
}

/** The options of a controller over a client that lacks `list` or `watch` (and where TypeScript infers `S` from). */
export interface ResourceOptions<S, A> extends Omit<ReconcilerOptions<InformerObject<S>, A>, "resource"> {
  /** The primary resource: a resource client with `list` and `watch` (`kube.resource(widgets)`). */
  resource: ClientNeeding<S, InformerSource<Stored>, "createController", ["list", "watch"]>;
}

function controllerOf<T extends Stored>(options: ControllerOptions<T>): Controller<T> {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new RequestValidationError("workers", `${workers} is not a positive integer`);
  if (typeof options.reconcile !== "function") throw new RequestValidationError("reconcile", "a controller needs a reconcile function");
  const queue = createWorkQueue<string>(options.queue);
  let informers: Informer<Stored>[] = [];
  let primary: Informer<T> | undefined;
  let started = false;
  return {
    queue,
    get hasSynced() {
      return informers.length > 0 && informers.every((informer) => informer.hasSynced);
    },
    get(key) {
      const { namespace, name } = splitKey(key);
      return primary?.get(name, namespace);
    },
    async run(signal) {
      if (started) throw new Error(`this controller of ${options.resource.descriptor.plural} has run already; create another one`);
      started = true;
      primary = startPrimary(options, queue);
      informers = [primary as Informer<Stored>, ...startRelated(options, queue)];
      await runUntilAborted(options, queue, primary, informers, signal, workers);
    },
  };
}

function report<T extends Stored>(options: ControllerOptions<T>, error: unknown, key: string | undefined): void {
  if (options.onError) return options.onError(error, key);
  warn(`controller of ${options.resource.descriptor.plural}: ${key === undefined ? "informer" : `reconcile ${key}`}: ${messageOf(error)}`);
}

function startPrimary<T extends Stored>(options: ControllerOptions<T>, queue: WorkQueue<string>): Informer<T> {
  const informer = informerFrom(options.resource, options.informer);
  const enqueue = (object: T) => {
    const key = keyOf(object);
    if (key !== undefined) queue.add(key);
  };
  informer.on("add", enqueue);
  informer.on("update", enqueue);
  informer.on("delete", enqueue);
  informer.on("error", (error) => report(options, error, undefined));
  return informer;
}

function startRelated<T extends Stored>(options: ControllerOptions<T>, queue: WorkQueue<string>): Informer<Stored>[] {
  const related = [...ownedSources(options.resource.descriptor, options.owns ?? []), ...(options.watches ?? [])];
  return related.map(({ source, options: informerOptions, keysOf }) => {
    const informer = informerFrom<Stored>(source, informerOptions);
    // Keys are collected first: an owner named by both the old and the new object is queued once.
    const enqueue = (...objects: Stored[]) => {
      for (const key of new Set(objects.flatMap((object) => [...keysOf(object)]))) queue.add(key);
    };
    informer.on("add", (object) => enqueue(object));
    informer.on("update", (object, old) => enqueue(object, old));
    informer.on("delete", (object) => enqueue(object));
    informer.on("error", (error) => report(options, error, undefined));
    return informer;
  });
}

/** Syncs, works until `signal` aborts or an informer fails, then stops workers and informers in that order. */
async function runUntilAborted<T extends Stored>(
  options: ControllerOptions<T>,
  queue: WorkQueue<string>,
  primary: Informer<T>,
  informers: Informer<Stored>[],
  signal: AbortSignal,
  workers: number,
): Promise<void> {
  let running: Promise<void>[] = [];
  const { stopped, dispose } = stopSignal(signal, informers);
  try {
    await Promise.race([Promise.all(informers.map((informer) => informer.synced)), stopped]);
    if (!signal.aborted) {
      running = Array.from({ length: workers }, () => work(options, queue, primary, signal));
      await stopped;
    }
  } finally {
    dispose();
    await queue.shutdown({ abandon: true });
    await Promise.all(running);
    await Promise.all(informers.map((informer) => informer.stop()));
  }
}

/** Resolves when `signal` aborts; rejects when an informer stops with an error first. */
function stopSignal(signal: AbortSignal, informers: Informer<Stored>[]): { stopped: Promise<void>; dispose: () => void } {
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  const failed = informers.map((informer) => informer.done.then(() => new Promise<void>(() => {})));
  return { stopped: Promise.race([aborted, ...failed]), dispose: () => signal.removeEventListener("abort", onAbort) };
}

/** One worker: takes a key, reconciles it, retries or requeues as answered, until the queue shuts down. */
async function work<T extends Stored>(options: ControllerOptions<T>, queue: WorkQueue<string>, primary: Informer<T>, signal: AbortSignal): Promise<void> {
  for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
    try {
      const { namespace, name } = splitKey(key);
      const object = primary.get(name, namespace);
      const result = await options.reconcile(key, { namespace, name, object, signal, retries: queue.retries(key) });
      queue.forget(key);
      if (result?.requeueAfterMs !== undefined) {
        checkDuration("requeueAfterMs", result.requeueAfterMs, "non-negative");
        queue.addAfter(key, result.requeueAfterMs);
      }
    } catch (error) {
      if (!signal.aborted) report(options, error, key);
      queue.addRateLimited(key);
    } finally {
      queue.done(key);
    }
  }
}
