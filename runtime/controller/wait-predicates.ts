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

/** Whether objects of type `T` have `status.<field>` for each of `Fields` (untyped objects, `unknown` status, pass). */
type StatusHas<T, Fields extends string> = "status" extends keyof T
  ? unknown extends T["status" & keyof T]
    ? true
    : [Fields] extends [keyof NonNullable<T["status" & keyof T]>]
      ? true
      : false
  : false;

/** What `condition()` asks of `T`: `WithConditions`, or (objects without `status.conditions`) the message saying so. */
export type ConditionsOf<T> = StatusHas<T, "conditions"> extends true ? WithConditions : "condition() needs objects with status.conditions";
/** What `jobComplete()` asks of `T`: `JobLike`, or (objects not shaped like a Job) the message saying so. */
export type JobShapeOf<T> = StatusHas<T, "conditions" | "succeeded" | "failed"> extends true ? JobLike : "jobComplete() needs Jobs: objects with status.conditions, succeeded and failed";

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
export function condition<T extends ConditionsOf<T>>(type: string, status: string = "True"): WaitPredicate<T> {
  return named<WithConditions>(`condition ${type}=${status}`, (object) => {
    const found = findCondition(object, type);
    if (found?.status !== status) return false;
    const generation = object?.metadata?.generation;
    return found.observedGeneration === undefined || generation === undefined || found.observedGeneration >= generation;
  }) as WaitPredicate<T>; // T fits WithConditions: ConditionsOf<T> admits no other
}

/** Holds when the object does not exist (never did, or was deleted), as `kubectl wait --for=delete`. */
export function deleted<T>(): WaitPredicate<T> {
  return named("deletion", (object) => object === undefined);
}

/** Holds when the Job has completed (`Complete=True`); throws `JobFailedError` as soon as it has failed (`Failed=True`). */
export function jobComplete<T extends JobShapeOf<T>>(): WaitPredicate<T> {
  return named<JobLike>("job completion", (job) => {
    const failed = findCondition(job, "Failed");
    if (failed?.status === "True") throw new JobFailedError(`${job?.metadata?.namespace ?? ""}/${job?.metadata?.name ?? ""}`, failed);
    return findCondition(job, "Complete")?.status === "True";
  }) as WaitPredicate<T>; // T fits JobLike: JobShapeOf<T> admits no other
}
