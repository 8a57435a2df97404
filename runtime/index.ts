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

/** The client of one cluster, its raw request API and the transport contract it needs. */
export { KubeClient, type KubeClientOptions, type RawRequest, type RequestTransport, type ResponseBody } from "./client/kube-client.js";

/** Descriptors: what generated modules declare with `defineResource`. */
export {
  defineResource,
  type ResourceDescriptor,
  type SubresourceDescriptor,
  type TypedResource,
  type ObjectOf,
  type SubresourceTypesOf,
  type Verb,
} from "./client/descriptor.js";

/** The verb-limited resource client made from a descriptor (`kube.resource(descriptor)`). */
export { createResourceClient } from "./client/resource-client.js";
export type {
  ResourceClient,
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
  WriteOptions,
  PatchOptions,
  ApplyOptions,
  DeleteResourceOptions,
  DeleteCollectionOptions,
  JsonPatchOperation,
  MergePatch,
} from "./client/resource-types.js";
/** Shapes the API server answers with, independent of any group/version. */
export type { KubeObject, ObjectMetaLike, ResourceList, Status, StatusCause, StatusDetails } from "./client/types.js";

/** Non-resource endpoints (`kube.nonResource.version()`, `.healthz()`, `.metrics()`, ...). */
export { createNonResourceApi, buildLogsPath, type NonResourceApi, type VersionInfo, type APIVersions, type APIGroupList, type HealthOptions } from "./nonresource.js";

/** Pure request building: paths, queries, patch content types, one request per verb (no IO). */
export {
  buildRequest,
  buildResourcePath,
  buildGroupVersionPath,
  buildQuery,
  encodePathSegment,
  patchContentType,
  serializePatch,
  PATCH_CONTENT_TYPES,
  validateName,
  validateNamespace,
  validateSubresource,
  type BuiltRequest,
  type DeleteOptions,
  type HttpMethod,
  type PatchType,
  type QueryOptions,
  type QueryParams,
  type QueryValue,
  type ResourcePathParts,
  type ResourceRequest,
  type ResourceTarget,
} from "./request/index.js";

/** Watch streams (one stream, or resuming across connections) and list pagination. */
export {
  decodeWatchEvents,
  paginate,
  paginatePages,
  resumingWatch,
  resourceWatchConnector,
  ExpiredContinueError,
  type WatchEvent,
  type WatchEventType,
  type WatchConnector,
  type ResumingWatchOptions,
  type WatchBackoff,
} from "./watch/index.js";

/** Informers: list, then watch, into an in-memory store with add/update/delete handlers. */
export { createInformer, type Informer, type InformerOptions, type InformerSource } from "./informer/index.js";

/** Every error the runtime throws, and the helpers that classify API errors. */
export {
  StatusError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  AlreadyExistsError,
  ConflictError,
  GoneError,
  InvalidError,
  TooManyRequestsError,
  ResponseDecodeError,
  RequestValidationError,
  NetworkError,
  TlsError,
  TimeoutError,
  ConfigError,
  AuthError,
  WatchDecodeError,
  statusErrorFromResponse,
  statusErrorFromStatus,
  isNotFound,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isUnauthorized,
  isGone,
  isInvalid,
  isTooManyRequests,
  type RequestContext,
} from "./errors.js";

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

/** Pod logs, exec, attach and port-forward (WebSocket channel protocol v5/v4), as `kube.resource(pods).log/exec/attach/portforward`. */
export {
  openExecSession,
  collectExec,
  openPortForward,
  listenPortForward,
  getLogs,
  streamLogLines,
  buildExecQuery,
  buildLogQuery,
  openChannelSession,
  encodeChannelMessage,
  decodeChannelMessage,
  encodeCloseSignal,
  encodeResize,
  parseExitStatus,
  ExecChannel,
  CHANNEL_PROTOCOL_V4,
  CHANNEL_PROTOCOL_V5,
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
  type LogClient,
  type ExecMethods,
  type AttachMethod,
  type PortForwardMethod,
  type StreamingMethods,
  type ChannelMessage,
  type ChannelSession,
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
} from "./selectors.js";

/** The runtime's version and the compatibility line generated modules must target (see CHANGELOG.md). */
export {
  RUNTIME_VERSION,
  RUNTIME_COMPATIBILITY,
  RuntimeVersionError,
  assertRuntimeCompatible,
  compatibilityLine,
  type RuntimeCompatibility,
} from "./version.js";
