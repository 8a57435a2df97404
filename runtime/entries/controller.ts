/**
 * Controller tools (`kubetyped/runtime/controller`), as client-go and kube-rs' `kube::runtime` hand them out:
 * informers, the work queue, the controller loop, leader election, events, finalizers and waiting.
 *
 * ```ts
 * import { connect } from "kubetyped/runtime";
 * import { createInformer } from "kubetyped/runtime/controller";
 * const informer = createInformer((await connect()).resource(pods));
 * ```
 * @packageDocumentation
 */

/** Informers: list, then watch, into an in-memory store with add/update/delete handlers; `dropManagedFields` keeps them lean. */
export {
  createInformer,
  dropManagedFields,
  RelistLoopError,
  type Informer,
  type InformerHandlers,
  type InformerOptions,
  type InformerSettings,
  type InformerSource,
  type InformerListOptions,
  type InformerWatchOptions,
} from "../informer/index.js";

/** Work queue, controller loop, leader election, events, finalizers, waiting. */
export {
  createWorkQueue,
  createController,
  watchRelated,
  leaderElection,
  leases,
  createEventRecorder,
  withFinalizer,
  waitFor,
  condition,
  deleted,
  jobComplete,
  WaitTimeoutError,
  JobFailedError,
  type WorkQueue,
  type WorkQueueOptions,
  type ShutdownOptions,
  type RateLimiter,
  type Clock,
  type Controller,
  type ControllerOptions,
  type ReconcileContext,
  type ReconcileResult,
  type ReconcileAnswer,
  type ReconcilerOptions,
  type RelatedSource,
  type OwnedSource,
  type LeaderElectionOptions,
  type LeaderElector,
  type Lease,
  type LeaseSpec,
  type EventRecorder,
  type EventRecorderOptions,
  type EventRecorderLimits,
  type EventInput,
  type EventSubject,
  type EventApi,
  type FinalizerClient,
  type FinalizerHandlers,
  type WaitOptions,
  type WaitSource,
  type WaitPredicate,
  type ConditionLike,
  type WithConditions,
  type JobLike,
  type ResourceFactory,
} from "../controller/index.js";
