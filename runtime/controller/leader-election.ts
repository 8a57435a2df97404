// Leader election on a coordination.k8s.io/v1 Lease with client-go's semantics: one candidate leads, the others wait for the lease to expire.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { isAlreadyExists, isConflict, isNotFound } from "../rest/status-errors.js";
import { checkDuration, RequestValidationError } from "../request/validation.js";
import { realClock, sleep, type Clock } from "./clock.js";
import { judgeLease, leases, microTime, recordFingerprint, type LeaseSpec } from "./lease.js";
import { messageOf, warn, type FactoryNeeding, type OptionsBeside, type ResourceFactory } from "./resource-factory.js";

/** The lease, its timings and what to run while leading. Defaults are client-go's (15 s, 10 s, 2 s). */
export interface LeaderElectionOptions {
  /** Name of the Lease, one per controller (e.g. `widget-operator`). */
  name: string;
  /** Namespace of the Lease; default the client's. */
  namespace?: string | undefined;
  /** Unique per candidate; default `<hostname>_<random uuid>`. */
  identity?: string | undefined;
  /** How long others wait, after they last saw the lease change, before they take it. Default 15,000 ms. */
  leaseDurationMs?: number | undefined;
  /** How long the leader keeps trying to renew before it gives up leading. Default 10,000 ms. */
  renewDeadlineMs?: number | undefined;
  /** Time between attempts (to take the lease, or to renew it). Default 2,000 ms. */
  retryPeriodMs?: number | undefined;
  /** Runs while this candidate leads; `signal` aborts when it stops leading. Its promise ending ends the election. */
  onStartedLeading(signal: AbortSignal): unknown;
  /** Called once leading has stopped and the work of `onStartedLeading` has finished. */
  onStoppedLeading?(): void;
  /** Called when this candidate sees a new holder (itself included). */
  onNewLeader?(identity: string): void;
  /** Give the lease up when stopped, so another candidate takes over at once. Default true. */
  releaseOnCancel?: boolean | undefined;
  /** Stops the election: leading work is aborted, awaited, and the lease released. */
  signal?: AbortSignal | undefined;
  /** Failed requests (they are retried); default: a process warning. */
  onError?(error: unknown): void;
  /** Time source (monotonic); tests may pass their own. */
  clock?: Clock | undefined;
}

/** A running election. */
export interface LeaderElector {
  readonly identity: string;
  readonly isLeader: boolean;
  /** The holder this candidate saw last (undefined until it has read the lease, "" when released). */
  readonly leader: string | undefined;
  /**
   * Settles when the election is over: after `signal` aborted, leadership was lost, or the work of
   * `onStartedLeading` ended (its rejection rejects `done`). Like client-go, an elector leads at most once:
   * start another (or restart the process) to stand again.
   */
  readonly done: Promise<void>;
}

// Candidates wait a random 0–20% less than the retry period, so they do not poll in step and never wait longer.
const JITTER = 0.2;

/** What a resource client given for `kube` meets (at the options). */
type KubeFirst = "leaderElection takes kube as its first argument, not a resource client";

/**
 * Runs for the lease `name`: tries to take it every `retryPeriodMs`; once held, calls `onStartedLeading(signal)`
 * and renews it every `retryPeriodMs`. A leader that cannot renew within `renewDeadlineMs` stops leading (its
 * signal aborts). A lease held by someone else counts as expired `leaseDurationMs` after this candidate last saw
 * it change, by this candidate's own clock, never by the holder's timestamps. Writes carry the resourceVersion
 * read, so two candidates can never both take the lease.
 *
 * ```ts
 * leaderElection(kube, { name: "widget-operator", onStartedLeading: (signal) => controller.run(signal), signal });
 * ```
 */
export function leaderElection<K extends object>(
  kube: FactoryNeeding<K, KubeFirst>,
  options: OptionsBeside<K, LeaderElectionOptions, "name", KubeFirst>,
): LeaderElector {
  const settings = settingsOf(options);
  const elector = new Elector(kube as ResourceFactory, settings, options);
  const done = elector.run();
  done.catch(() => {}); // callers who never await `done` must not see an unhandled rejection
  return {
    identity: settings.identity,
    get isLeader() {
      return elector.isLeader;
    },
    get leader() {
      return elector.observedHolder;
    },
    done,
  };
}

interface Settings {
  name: string;
  namespace: string | undefined;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

function settingsOf(options: LeaderElectionOptions): Settings {
  const leaseDurationMs = options.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = options.retryPeriodMs ?? 2_000;
  if (!options.name) throw new RequestValidationError("name", "leader election needs the name of its Lease");
  if (typeof options.onStartedLeading !== "function") throw new RequestValidationError("onStartedLeading", "leader election needs the function to run while leading");
  checkDuration("leaseDurationMs", leaseDurationMs, "positive");
  checkDuration("renewDeadlineMs", renewDeadlineMs, "positive");
  checkDuration("retryPeriodMs", retryPeriodMs, "positive");
  if (!(renewDeadlineMs > retryPeriodMs * 1.2)) {
    throw new RequestValidationError("renewDeadlineMs", `${renewDeadlineMs} must be more than 1.2 × retryPeriodMs (${retryPeriodMs}), so a leader gets more than one renewal attempt`);
  }
  if (!(leaseDurationMs > renewDeadlineMs)) {
    throw new RequestValidationError("leaseDurationMs", `${leaseDurationMs} must be more than renewDeadlineMs (${renewDeadlineMs}): a leader must stop before others may take over`);
  }
  const identity = options.identity ?? `${hostname()}_${randomUUID()}`;
  return { name: options.name, namespace: options.namespace, identity, leaseDurationMs, renewDeadlineMs, retryPeriodMs };
}

/** Outcome of one attempt to take or renew the lease. */
interface Attempt {
  held: boolean;
  /** When the other holder's lease expires by our observation (own clock), if it is held by someone else. */
  expiresAt?: number;
}

class Elector {
  isLeader = false;
  observedHolder: string | undefined;
  #observedFingerprint: string | undefined;
  #observedAt = 0;
  readonly #client;
  readonly #clock: Clock;
  readonly #stop: AbortSignal;

  constructor(
    kube: ResourceFactory,
    private readonly settings: Settings,
    private readonly options: LeaderElectionOptions,
  ) {
    this.#client = kube.resource(leases);
    this.#clock = options.clock ?? realClock;
    this.#stop = options.signal ?? new AbortController().signal;
  }

  async run(): Promise<void> {
    const acquiredAt = await this.#acquire();
    if (acquiredAt === undefined) return;
    if (this.#stop.aborted) return void (await this.#releaseIfWanted());
    await this.#lead(acquiredAt);
  }

  /** Tries every retry period (or exactly when the observed lease expires) until it holds the lease; answers when that attempt began. */
  async #acquire(): Promise<number | undefined> {
    const { retryPeriodMs, renewDeadlineMs } = this.settings;
    while (!this.#stop.aborted) {
      const startedAt = this.#clock.now();
      let wait = retryPeriodMs * (1 - Math.random() * JITTER);
      try {
        const attempt = await this.#attempt(renewDeadlineMs, this.#stop);
        if (attempt.held) return startedAt;
        if (attempt.expiresAt !== undefined) wait = Math.min(wait, attempt.expiresAt - this.#clock.now());
      } catch (error) {
        this.#reportUnlessRace(error);
      }
      await sleep(this.#clock, wait, this.#stop);
    }
    return undefined;
  }

  /**
   * Leads: runs `onStartedLeading` and renews every retry period. Stops when a renewal has not succeeded for
   * `renewDeadlineMs`, or when the work ends; when asked to stop, keeps renewing until the work has finished.
   */
  async #lead(acquiredAt: number): Promise<void> {
    const { retryPeriodMs, renewDeadlineMs } = this.settings;
    this.isLeader = true;
    const leading = new AbortController();
    const abortLeading = () => leading.abort();
    this.#stop.addEventListener("abort", abortLeading, { once: true });
    const workEnded = new AbortController();
    const work = Promise.resolve()
      .then(() => this.options.onStartedLeading(leading.signal))
      .finally(() => workEnded.abort());
    work.catch(() => {});
    let lastRenewal = acquiredAt;
    let lost = false;
    while (!workEnded.signal.aborted) {
      await sleep(this.#clock, retryPeriodMs, workEnded.signal);
      if (workEnded.signal.aborted) break;
      lastRenewal = await this.#renew(lastRenewal);
      if (this.#clock.now() >= lastRenewal + renewDeadlineMs) {
        lost = true;
        break;
      }
    }
    this.#stop.removeEventListener("abort", abortLeading);
    leading.abort();
    this.isLeader = false;
    const failure = await work.then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    if (!lost) await this.#releaseIfWanted();
    this.options.onStoppedLeading?.();
    if (failure) throw failure.error;
  }

  /** One renewal, bounded by what is left of the deadline; answers the new time of the last success. */
  async #renew(lastRenewal: number): Promise<number> {
    const startedAt = this.#clock.now();
    const left = lastRenewal + this.settings.renewDeadlineMs - startedAt;
    if (left <= 0) return lastRenewal;
    try {
      return (await this.#attempt(left)).held ? startedAt : lastRenewal;
    } catch (error) {
      this.#reportUnlessRace(error);
      return lastRenewal;
    }
  }

  /** Reads the lease; creates it when missing, or takes/renews it when this candidate may. */
  async #attempt(timeoutMs: number, signal?: AbortSignal): Promise<Attempt> {
    const startedAt = this.#clock.now();
    const call = { namespace: this.settings.namespace, timeoutMs: Math.max(1, Math.ceil(timeoutMs)), signal };
    const current = await this.#client.get(this.settings.name, call).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (current === undefined) {
      const created = await this.#client.create({ metadata: { name: this.settings.name }, spec: this.#record(undefined) }, call);
      this.#observe(created.spec, startedAt);
      return { held: true };
    }
    this.#observe(current.spec, this.#clock.now());
    const judgement = judgeLease(current.spec, this.settings.identity, this.#observedAt, this.#clock.now(), this.settings.leaseDurationMs);
    if (!judgement.mayTake) return { held: false, ...(judgement.expiresAt !== undefined && { expiresAt: judgement.expiresAt }) };
    // `current` carries its resourceVersion: if anyone wrote the lease since we read it, this is a 409.
    const updated = await this.#client.update({ ...current, spec: this.#record(current.spec) }, call);
    this.#observe(updated.spec, startedAt);
    return { held: true };
  }

  /** The record this candidate writes: a renewal keeps acquireTime and transitions, a takeover counts one more. */
  #record(previous: LeaseSpec | undefined): LeaseSpec {
    const now = microTime(new Date());
    const renewing = previous?.holderIdentity === this.settings.identity;
    return {
      holderIdentity: this.settings.identity,
      leaseDurationSeconds: Math.ceil(this.settings.leaseDurationMs / 1000),
      acquireTime: renewing ? (previous?.acquireTime ?? now) : now,
      renewTime: now,
      leaseTransitions: previous === undefined ? 0 : (previous.leaseTransitions ?? 0) + (renewing ? 0 : 1),
    };
  }

  /** Remembers when the record last changed, by our clock: the only time expiry is judged by. */
  #observe(spec: LeaseSpec | undefined, at: number): void {
    const fingerprint = recordFingerprint(spec);
    if (fingerprint === this.#observedFingerprint) return;
    this.#observedFingerprint = fingerprint;
    this.#observedAt = at;
    const holder = spec?.holderIdentity ?? "";
    if (holder !== this.observedHolder) {
      this.observedHolder = holder;
      if (holder !== "") this.options.onNewLeader?.(holder);
    }
  }

  /** Empties the holder (lease duration 1 s) so the next candidate need not wait, when this candidate still holds it. */
  async #releaseIfWanted(): Promise<void> {
    if (this.options.releaseOnCancel === false) return;
    try {
      const current = await this.#client.get(this.settings.name, { namespace: this.settings.namespace, timeoutMs: this.settings.renewDeadlineMs });
      if (current.spec?.holderIdentity !== this.settings.identity) return;
      const now = microTime(new Date());
      const spec: LeaseSpec = { holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: current.spec.leaseTransitions ?? 0 };
      const released = await this.#client.update({ ...current, spec }, { namespace: this.settings.namespace, timeoutMs: this.settings.renewDeadlineMs });
      this.#observe(released.spec, this.#clock.now());
    } catch (error) {
      this.#report(error);
    }
  }

  /** Conflicts and AlreadyExists mean another candidate wrote first: the normal race, not an error. */
  #reportUnlessRace(error: unknown): void {
    if (isConflict(error) || isAlreadyExists(error) || this.#stop.aborted) return;
    this.#report(error);
  }

  #report(error: unknown): void {
    if (this.options.onError) return this.options.onError(error);
    warn(`leader election for lease ${this.settings.name}: ${messageOf(error)}`);
  }
}
