/**
 * kubetyped's runtime (`kubetyped/runtime`): connect to a cluster, then use typed, verb-limited clients
 * made from the descriptors of generated modules.
 *
 * ```ts
 * import { connect, isNotFound } from "kubetyped/runtime";
 * import { jobs } from "./generated/batch/v1.js";
 * const kube = await connect();
 * const job = await kube.resource(jobs).get("pi");
 * ```
 * @packageDocumentation
 */

/** Connecting: `connect()` picks kubeconfig or in-cluster like kubectl; `clientFromConnection` takes a resolved one. */
export { connect, clientFromConnection, type ConnectOptions } from "./connect.js";

/** The client of one cluster, its raw request API and the transport contract it needs (tests and custom transports pass their own). */
export { KubeClient, type KubeClientOptions } from "./kube-client.js";
export type { RawRequest } from "./request/raw.js";
export type { RequestTransport, ResponseBody } from "./rest/types.js";

/** Descriptors: what generated modules declare with `defineResource`. */
export {
  defineResource,
  type ResourceDescriptor,
  type SubresourceDescriptor,
  type TypedResource,
  type ObjectOf,
  type SubresourceTypesOf,
  type SelectableFieldsOf,
  type Verb,
} from "./api/descriptor.js";

/** The verb-limited resource client made from a descriptor (`kube.resource(descriptor)`), its methods and their options. */
export type {
  ResourceClient,
  ClientWith,
  Gettable,
  Listable,
  WithName,
  WithNameOrGenerateName,
  NamedBody,
  Namespaced,
  ClusterScoped,
  AnyScope,
  ScopeOf,
  ClientScopeOf,
  SelectableFields,
  SubresourceClient,
  Subresource,
  SubresourcesOf,
  CreateOnlyMethod,
  JsonPatch,
  PatchBody,
  ExecCommandOption,
  ResourceVerbMethods,
  SubresourceVerbMethods,
  SubresourceVerb,
  StreamingSubresource,
  ApplyMethod,
  ListAllMethod,
  PatchMethod,
  VerbsOf,
  ObjectTypeOf,
  SubresourceBodyOf,
  NamespaceOption,
  CollectionScopeOption,
  SignalOption,
  GetOptions,
  ListOptions,
  ListAllOptions,
  WatchOptions,
  WatchEventOf,
  WriteOptions,
  PatchOptions,
  ApplyOptions,
  DeleteResourceOptions,
  DeleteCollectionOptions,
  JsonPatchOperation,
  MergePatch,
  LogClient,
  ExecMethods,
  AttachMethod,
  PortForwardMethod,
  StreamingMethods,
} from "./client/index.js";
/** Shapes the API server answers with, independent of any group/version. */
export type { KubeObject, ObjectMetaLike, ResourceList, Status, StatusCause, StatusDetails } from "./api/objects.js";
/** What requests are made of: methods, query options, patch strategies, DeleteOptions. */
export type { DeleteOptions, HttpMethod, PatchType, QueryOptions, QueryParams, QueryValue } from "./request/index.js";

/** Non-resource endpoints (`kube.nonResource.version()`, `.healthz()`, `.metrics()`, ...). */
export type { NonResourceApi, VersionInfo, APIVersions, APIGroupList, HealthOptions } from "./client/index.js";

/** Watch events, the backoff of resuming watches and informers, and the error of an expired continue token. */
export { ExpiredContinueError, type WatchEvent, type WatchObjectEvent, type WatchEventType, type WatchBackoff } from "./watch/index.js";

/** Informers: list, then watch, into an in-memory store with add/update/delete handlers; `dropManagedFields` keeps them lean. */
export {
  createInformer,
  dropManagedFields,
  type Informer,
  type InformerHandlers,
  type InformerOptions,
  type InformerSettings,
  type InformerSource,
  type InformerListOptions,
  type InformerWatchOptions,
} from "./informer/index.js";

/** Metadata-only reads (`kube.metadata(descriptor)`): `PartialObjectMetadata` instead of whole objects. */
export type { MetadataClient, MetadataClientWith, MetadataVerbMethods } from "./client/index.js";
export type { PartialObjectMetadata, ObjectMetadata, OwnerReferenceLike } from "./api/metadata.js";

/** For controller authors: work queue, controller loop, leader election, events, finalizers, waiting (as client-go and kube-rs hand them out). */
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
} from "./controller/index.js";

/** Every error the runtime throws, and the helpers that classify API errors. */
export * from "./errors.js";

/** Configuration: kubeconfig and in-cluster loading, the resolved connection, and the redacting `Secret`. */
export {
  resolveConnection,
  loadKubeconfig,
  loadInClusterConfig,
  listContexts,
  Secret,
  type ResolveConnectionOptions,
  type LoadKubeconfigOptions,
  type InClusterOptions,
  type ClusterConnection,
  type Credentials,
  type ExecCredentialConfig,
  type TlsSettings,
} from "./config/index.js";

/** The transport (undici, auth, TLS, retries) for callers that build a `KubeClient` by hand. */
export { createTransport, type Transport, type TransportOptions, type TransportRequest, type TransportResponse, type UpgradeContext } from "./transport/index.js";

/** The server's `Warning` headers: `connect({ warnings })` takes a handler; `warningPrinter` is the default one. */
export { warningPrinter, type ApiWarning, type WarningContext, type WarningHandler } from "./transport/index.js";

/** Pod logs, exec, attach and port-forward (WebSocket channel protocol v5/v4), as `kube.resource(pods).log/exec/attach/portforward`. */
export {
  StreamProtocolError,
  StreamClosedError,
  PortForwardError,
  type ExecOptions,
  type AttachOptions,
  type ExecSession,
  type CollectedExec,
  type CollectExecOptions,
  type ExitStatus,
  type PodLogOptions,
  type PortForwardOptions,
  type PortForwardSession,
  type PortForwardListenOptions,
  type PortForwardListener,
} from "./stream/index.js";

/** Typed, validated `labelSelector` / `fieldSelector` strings: `labels({ app: "web", tier: ["a", "b"] })`. */
export {
  labels,
  labelsFromSelector,
  exists,
  doesNotExist,
  notIn,
  notEqual,
  fields,
  escapeFieldValue,
  type LabelRequirement,
  type LabelSelectorValue,
  type LabelSelectorObject,
  type FieldSelectorValue,
  type CommonFieldPath,
  type FieldSelector,
  type FieldSelectorOption,
  type SelectorOptions,
} from "./selectors.js";

/** The runtime's version and the compatibility line generated modules must target (see CHANGELOG.md). */
export { RUNTIME_VERSION, RUNTIME_COMPATIBILITY, RuntimeVersionError, type RuntimeCompatibility } from "./core/version.js";

/** Checking objects against the generated schema before sending (`kube.resource(d).validate()`, `connect({ validate: "before-send" })`). */
export type { Validatable, ValidateCallOptions, ValidateMode } from "./validate/attach.js";
export type { FieldError, FieldErrorType } from "./validate/field-error.js";
export type { SchemaNode, ValidationModule, ValidationSource } from "./api/validation-schema.js";
/** The interpreter generated `.validate.ts` modules re-export (a program that loads no validator never bundles it). */
// The interpreter (and the CEL evaluator under it) is `kubetyped/runtime/validate`, loaded only by validating programs.
export { NoValidationSchemaError } from "./validate/attach.js";
