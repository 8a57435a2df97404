// Records events about objects (events.k8s.io/v1 where served, core/v1 otherwise), folding repeats into one event's count.
import { hostname } from "node:os";
import type { ResourceDescriptor } from "../api/descriptor.js";
import type { ObjectMetaLike } from "../api/objects.js";
import { isNotFound, StatusError } from "../rest/status-errors.js";
import { checkOptionalDuration, RequestValidationError } from "../request/validation.js";
import { realClock, type Clock } from "./clock.js";
import { coreEvents, eventsV1, type EventObjectReference } from "./event-types.js";
import { eventBodies, type EventApi } from "./event-bodies.js";
import { eventLimits, PerObjectBudget, WriteQueue, type EventLimits, type EventRecorderLimits } from "./event-limits.js";
import { messageOf, warn, type FactoryNeeding, type OptionsBeside, type ResourceFactory } from "./resource-factory.js";

/** Who reports, which API to write, and how often repeats are sent. */
export interface EventRecorderOptions {
  /** The controller's name, as a qualified name (`demo.kubetyped.dev/widget-operator`). */
  reportingController: string;
  /** This instance of it (pod name); default the host name. */
  reportingInstance?: string | undefined;
  /** `auto` (default): events.k8s.io/v1, falling back to core/v1 for good when the server does not serve it. */
  api?: "auto" | EventApi | undefined;
  /** How often the counts of repeated events are sent (one patch per event per interval at most). Default 5,000 ms. */
  flushIntervalMs?: number | undefined;
  /** A repeat this long after the last one starts a new event instead of counting. Default 6 minutes (client-go's). */
  seriesWindowMs?: number | undefined;
  /** Your generated descriptors for the two event resources, instead of the runtime's own. */
  descriptors?: { eventsV1?: ResourceDescriptor | undefined; coreV1?: ResourceDescriptor | undefined } | undefined;
  /** How far distinct events may go before they are dropped (per object, remembered, in flight, waiting); client-go's by default. */
  limits?: EventRecorderLimits | undefined;
  /** Failed writes (events are best effort); default: a process warning. */
  onError?(error: unknown): void;
  clock?: Clock | undefined;
}

/** What happened: `type`, a machine-readable `reason` (`Created`), the `action` taken, and a human `note`. */
export interface EventInput {
  type: "Normal" | "Warning";
  reason: string;
  action: string;
  note?: string | undefined;
  /** A second object involved (e.g. the ConfigMap a Widget created). */
  related?: EventSubject | undefined;
}

/** An object events can be about: it needs `apiVersion`, `kind` and `metadata.name` (informer objects have them). */
export interface EventSubject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaLike;
}

/**
 * Records events; repeats of one (same object, type, reason, action and note) become one event with a count.
 * New events are bounded as client-go bounds them (`limits`): 25 about one object, then one per 5 minutes; at most
 * 1,000 writes waiting and 4 in flight. What is dropped is counted in `dropped`, and said once (to `onError`) per cause.
 */
export interface EventRecorder {
  /** Records an event (fire and forget: failed writes go to `onError`); throws only for an object without apiVersion, kind or name. */
  event(regarding: EventSubject, event: EventInput): void;
  /** Sends what is pending (new events and counts) and resolves when the server has it. */
  flush(): Promise<void>;
  /** Flushes and stops the timer; later events are dropped. */
  close(): Promise<void>;
  /** Events not sent because of the per-object or queue bounds. */
  readonly dropped: number;
}

const MAX_NOTE = 1024;

/** One event and its repeats: the server's copy, and how many occurrences it has been told of. */
interface Series {
  count: number;
  reported: number;
  lastSeenAt: number;
  lastSeen: Date;
  /** Settles once the event exists on the server (undefined if creating it failed). */
  created: Promise<{ api: EventApi; name: string; namespace: string } | undefined>;
  /** The last count patch (settled quietly), which the next one waits for. */
  sending: Promise<unknown>;
}

/** What a resource client given for `kube` meets (at the options). */
type KubeFirst = "createEventRecorder takes kube as its first argument, not a resource client";

/**
 * An event recorder as client-go's: events about `regarding` objects, visible with `kubectl get events` and
 * `kubectl describe`. A repeat within `seriesWindowMs` only counts (`series.count` / `count`), and counts are sent
 * at most once per `flushIntervalMs`, so a hot loop costs one create and a patch per interval, not a flood.
 * Distinct events are bounded per object and overall (see `EventRecorder`); what is dropped is counted and said once.
 *
 * ```ts
 * const recorder = createEventRecorder(kube, { reportingController: "demo.kubetyped.dev/widget-operator" });
 * recorder.event(widget, { type: "Normal", reason: "Created", action: "CreateConfigMap", note: "created widget-a" });
 * ```
 */
export function createEventRecorder<K extends object>(
  kube: FactoryNeeding<K, KubeFirst>,
  options: OptionsBeside<K, EventRecorderOptions, "reportingController", KubeFirst>,
): EventRecorder {
  if (!options.reportingController) throw new RequestValidationError("reportingController", "events need the reporting controller's name, e.g. example.com/my-controller");
  checkOptionalDuration("flushIntervalMs", options.flushIntervalMs, "positive");
  checkOptionalDuration("seriesWindowMs", options.seriesWindowMs, "positive");
  const recorder = new Recorder(kube as ResourceFactory, options, eventLimits(options.limits));
  return {
    event: (regarding, event) => recorder.event(regarding, event),
    flush: () => recorder.flush(),
    close: () => recorder.close(),
    get dropped() {
      return recorder.dropped;
    },
  };
}

class Recorder {
  readonly #series = new Map<string, Series>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #clock: Clock;
  readonly #instance: string;
  readonly #budget: PerObjectBudget;
  readonly #writes: WriteQueue;
  /** The causes of drops already reported: each is said once. */
  readonly #toldDrops = new Set<"object" | "queue">();
  dropped = 0;
  #api: "auto" | EventApi;
  #timer: unknown;
  #closed = false;
  #sequence = 0;

  constructor(
    private readonly kube: ResourceFactory,
    private readonly options: EventRecorderOptions,
    private readonly limits: EventLimits,
  ) {
    this.#clock = options.clock ?? realClock;
    this.#instance = options.reportingInstance ?? hostname();
    this.#api = options.api ?? "auto";
    this.#budget = new PerObjectBudget(this.#clock, limits);
    this.#writes = new WriteQueue(limits);
  }

  event(regarding: EventSubject, input: EventInput): void {
    if (this.#closed) return;
    const reference = referenceTo(regarding, "regarding");
    const related = input.related && referenceTo(input.related, "related");
    const event = { ...input, note: (input.note ?? "").slice(0, MAX_NOTE), related };
    const key = JSON.stringify([reference, related ?? null, event.type, event.reason, event.action, event.note]);
    const now = this.#clock.now();
    const existing = this.#series.get(key);
    if (existing && now - existing.lastSeenAt < (this.options.seriesWindowMs ?? 6 * 60_000)) {
      existing.count++;
      existing.lastSeenAt = now;
      existing.lastSeen = new Date();
      this.#scheduleFlush();
      return;
    }
    if (!this.#budget.take(objectKey(reference))) return this.#drop("object", reference);
    if (this.#writes.full) return this.#drop("queue", reference);
    const seen = new Date();
    const created = this.#track(this.#writes.run(() => this.#create(reference, event, seen)));
    this.#series.delete(key); // re-inserted last, so the map's first key is the stalest series
    this.#series.set(key, { count: 1, reported: 1, lastSeenAt: now, lastSeen: seen, created, sending: created });
    if (this.#series.size > this.limits.seriesRemembered) this.#series.delete(this.#series.keys().next().value!);
  }

  async flush(): Promise<void> {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    for (const series of this.#series.values()) if (series.count > series.reported) this.#track(this.#sendCount(series));
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
  }

  #scheduleFlush(): void {
    if (this.#timer !== undefined) return;
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.options.flushIntervalMs ?? 5_000);
  }

  /** Keeps `promise` in the in-flight set until it settles; it never rejects (failures are reported). */
  #track<T>(promise: Promise<T>): Promise<T | undefined> {
    const settled = promise.catch((error: unknown) => {
      this.#report(error);
      return undefined;
    });
    this.#inFlight.add(settled);
    void settled.finally(() => this.#inFlight.delete(settled));
    return settled;
  }

  /** Creates the event in the API chosen (or found, with `auto`); answers where it lives. */
  async #create(reference: EventObjectReference, input: EventInput & { related?: EventObjectReference | undefined }, seen: Date) {
    const namespace = reference.namespace || "default";
    const name = this.#eventName(reference.name!);
    for (;;) {
      const api: EventApi = this.#api === "v1" ? "v1" : "events.k8s.io/v1";
      const body = eventBodies[api].create({ name, namespace, reference, input, seen, controller: this.options.reportingController, instance: this.#instance });
      try {
        await this.#client(api).create(body, { namespace });
        if (this.#api === "auto") this.#api = api;
        return { api, name, namespace };
      } catch (error) {
        if (this.#api !== "auto" || !notServed(error)) throw error;
        this.#api = "v1"; // the server has no events.k8s.io/v1: core/v1 from now on
      }
    }
  }

  /** Sends the series' count after its previous send (so counts never arrive out of order); a failure lets the next flush retry. */
  #sendCount(series: Series): Promise<void> {
    const count = series.count;
    const previous = series.reported;
    series.reported = count;
    const send = async () => {
      const target = await series.created;
      if (target === undefined) return;
      const patch = eventBodies[target.api].countPatch(count, series.lastSeen);
      await this.#client(target.api).patch(target.name, patch, { namespace: target.namespace, type: "merge" });
    };
    const sent = series.sending.then(() => this.#writes.run(send)).catch((error: unknown) => {
      series.reported = Math.min(series.reported, previous);
      throw error;
    });
    series.sending = sent.catch(() => {});
    return sent;
  }

  #client(api: EventApi) {
    const descriptor = api === "v1" ? (this.options.descriptors?.coreV1 ?? coreEvents) : (this.options.descriptors?.eventsV1 ?? eventsV1);
    return this.kube.resource(descriptor) as unknown as {
      create(body: unknown, options: { namespace: string }): Promise<unknown>;
      patch(name: string, patch: unknown, options: { namespace: string; type: "merge" }): Promise<unknown>;
    };
  }

  /** `<object name>.<hex time>` as client-go names them, cut to fit the 253 characters of a name. */
  #eventName(objectName: string): string {
    const suffix = (BigInt(Date.now()) * 1_000_000n + BigInt(this.#sequence++ % 1_000_000)).toString(16);
    return `${objectName.slice(0, 253 - suffix.length - 1)}.${suffix}`;
  }

  /** Counts an event that was not sent; the first of each cause is reported. */
  #drop(cause: "object" | "queue", reference: EventObjectReference): void {
    this.dropped++;
    if (this.#toldDrops.has(cause)) return;
    this.#toldDrops.add(cause);
    const about = `${reference.kind} ${reference.namespace ? `${reference.namespace}/` : ""}${reference.name}`;
    const why =
      cause === "object"
        ? `more than ${this.limits.perObjectBurst} distinct events about ${about} (then one every ${shownDuration(this.limits.perObjectRefillMs)} is sent; limits.perObjectBurst raises it)`
        : `${this.limits.queuedWrites} event writes are already waiting for the server (an event about ${about} was dropped; limits.queuedWrites raises it)`;
    this.#report(new Error(`dropping events: ${why}; further drops are counted in recorder.dropped, not reported`));
  }

  #report(error: unknown): void {
    if (this.options.onError) return this.options.onError(error);
    warn(`event recorder (${this.options.reportingController}): ${messageOf(error)}`);
  }
}

/** `300000` as `5 min`, `1500` as `1500 ms`: a refill period in a message. */
function shownDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms % 1_000 === 0 ? `${ms / 1_000} s` : `${ms} ms`;
}

/** A 404 that is about the events resource itself (its API is not served), not about a missing namespace. */
function notServed(error: unknown): boolean {
  return isNotFound(error) && error instanceof StatusError && error.details?.kind !== "namespaces";
}

/** Which object an event is about, for its per-object budget. */
function objectKey(reference: EventObjectReference): string {
  return JSON.stringify([reference.apiVersion, reference.kind, reference.namespace ?? "", reference.name, reference.uid ?? ""]);
}

function referenceTo(object: EventSubject, field: string): EventObjectReference {
  const { apiVersion, kind, metadata } = object;
  if (!apiVersion || !kind || !metadata?.name) {
    throw new RequestValidationError(field, "an event's object needs apiVersion, kind and metadata.name (objects from an informer or a get have them)");
  }
  return {
    apiVersion,
    kind,
    name: metadata.name,
    ...(metadata.namespace && { namespace: metadata.namespace }),
    ...(metadata.uid && { uid: metadata.uid }),
    ...(metadata.resourceVersion && { resourceVersion: metadata.resourceVersion }),
  };
}
