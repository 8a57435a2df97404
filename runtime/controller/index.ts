// What controller authors get, above the informer and the clients: work queue, controller loop, leader election, events, finalizers, waiting.
export { createWorkQueue, type WorkQueue, type WorkQueueOptions, type ShutdownOptions } from "./work-queue.js";
export type { RateLimiter } from "./rate-limit.js";
export type { Clock } from "./clock.js";
export { createController, type Controller, type ControllerOptions, type ReconcileContext, type ReconcileResult, type ReconcileAnswer, type ReconcilerOptions } from "./controller.js";
export { watchRelated, ownerKeys, type RelatedSource, type OwnedSource } from "./sources.js";
export { leaderElection, type LeaderElectionOptions, type LeaderElector } from "./leader-election.js";
export { leases, type Lease, type LeaseSpec } from "./lease.js";
export { createEventRecorder, type EventRecorder, type EventRecorderOptions, type EventInput, type EventSubject } from "./event-recorder.js";
export type { EventRecorderLimits } from "./event-limits.js";
export type { EventApi } from "./event-bodies.js";
export { withFinalizer, type FinalizerClient, type FinalizerHandlers } from "./finalizer.js";
export { waitFor, WaitTimeoutError, type WaitOptions, type WaitSource } from "./wait.js";
export { condition, deleted, jobComplete, JobFailedError, type WaitPredicate, type ConditionLike, type WithConditions, type JobLike } from "./wait-predicates.js";
export type { ResourceFactory } from "./resource-factory.js";
