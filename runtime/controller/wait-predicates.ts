// Ready predicates for waitFor: a status condition, deletion, Job completion (which fails fast on a failed Job).

/** A test of an object's state (undefined: it does not exist); `description` names it in timeout messages. */
export type WaitPredicate<T> = ((object: T | undefined) => boolean) & { description?: string };

/** A status condition as every API writes it. */
export interface ConditionLike {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

/** Objects with `status.conditions` (Deployments, Jobs, most CRDs). */
export interface WithConditions {
  metadata?: { generation?: number };
  status?: { conditions?: readonly ConditionLike[] };
}

/** A Job as `jobComplete` reads it. */
export interface JobLike extends WithConditions {
  metadata?: { name?: string; namespace?: string; generation?: number };
}

/** The Job `waitFor(jobs, name, jobComplete())` waited for failed: its Failed condition's reason and message. */
export class JobFailedError extends Error {
  override readonly name = "JobFailedError";
  readonly reason: string | undefined;
  constructor(job: string, condition: ConditionLike) {
    super(`job ${job} failed: ${condition.reason ?? "Failed"}${condition.message ? `: ${condition.message}` : ""}`);
    this.reason = condition.reason;
  }
}

function named<T>(description: string, test: (object: T | undefined) => boolean): WaitPredicate<T> {
  return Object.assign(test, { description });
}

/** The description of `predicate` for messages. */
export function describePredicate(predicate: WaitPredicate<never>): string {
  return predicate.description ?? (predicate.name ? `predicate ${predicate.name}` : "the predicate");
}

function findCondition(object: WithConditions | undefined, type: string): ConditionLike | undefined {
  return object?.status?.conditions?.find((condition) => condition.type === type);
}

/**
 * Holds when `status.conditions` has `type` with `status` (default "True"), as `kubectl wait --for=condition=...`.
 * A condition that names an `observedGeneration` older than the object's `generation` describes an earlier spec
 * and does not count.
 */
export function condition<T extends WithConditions>(type: string, status: string = "True"): WaitPredicate<T> {
  return named(`condition ${type}=${status}`, (object) => {
    const found = findCondition(object, type);
    if (found?.status !== status) return false;
    const generation = object?.metadata?.generation;
    return found.observedGeneration === undefined || generation === undefined || found.observedGeneration >= generation;
  });
}

/** Holds when the object does not exist (never did, or was deleted), as `kubectl wait --for=delete`. */
export function deleted<T>(): WaitPredicate<T> {
  return named("deletion", (object) => object === undefined);
}

/** Holds when the Job has completed (`Complete=True`); throws `JobFailedError` as soon as it has failed (`Failed=True`). */
export function jobComplete<T extends JobLike>(): WaitPredicate<T> {
  return named("job completion", (job) => {
    const failed = findCondition(job, "Failed");
    if (failed?.status === "True") throw new JobFailedError(`${job?.metadata?.namespace ?? ""}/${job?.metadata?.name ?? ""}`, failed);
    return findCondition(job, "Complete")?.status === "True";
  });
}
