/**
 * kubetyped's runtime (`kubetyped/runtime`): connect to a cluster, then use typed, verb-limited clients
 * made from the descriptors of generated modules. This entry holds what everyday code names; controller tools
 * are in `kubetyped/runtime/controller`, logs/exec/attach/port-forward in `kubetyped/runtime/streams`, and the
 * building blocks of generated modules and hand-built clients in `kubetyped/runtime/plumbing`.
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
export { Secret, type ClusterConnection } from "./config/index.js";
/** The client of one cluster: `kube.resource(descriptor)`, `kube.metadata(descriptor)`, `kube.nonResource`, raw requests. */
export { KubeClient } from "./kube-client.js";

/** Shapes the API server answers with, independent of any group/version. */
export type { KubeObject, ResourceList, Status, StatusCause, StatusDetails } from "./api/objects.js";
export type { PartialObjectMetadata } from "./api/metadata.js";

/** The verb-limited resource client (`kube.resource(descriptor)`), the types generic code is written against, and the options of its methods. */
export type {
  ResourceClient,
  ClientWith,
  Gettable,
  Listable,
  MetadataClient,
  WithName,
  WithNameOrGenerateName,
  Namespaced,
  ClusterScoped,
  GetOptions,
  ListOptions,
  ListAllOptions,
  WatchOptions,
  WriteOptions,
  PatchOptions,
  ApplyOptions,
  DeleteResourceOptions,
  DeleteCollectionOptions,
  JsonPatch,
  JsonPatchOperation,
  MergePatch,
} from "./client/index.js";

/** What `watch()` yields. */
export type { WatchEvent, WatchObjectEvent } from "./watch/index.js";

/** Typed, validated `labelSelector` / `fieldSelector` strings: `labels({ app: "web", tier: ["a", "b"] })`. */
export { labels, labelsFromSelector, exists, doesNotExist, notIn, notEqual, fields, type FieldSelector } from "./selectors.js";

/**
 * Errors. A refusal of the API server is one `StatusError` with the server's `reason`; `isNotFound`, `isConflict`,
 * ... test the reason (or the code when the server gave none) and narrow to `StatusError`. Beside it, the other
 * errors the clients throw: configuration, credentials, network, a malformed answer, an expired page token, a
 * version mismatch.
 */
export * from "./errors.js";

/** The server's `Warning` headers: `connect({ warnings })` takes a handler; `warningPrinter` is the default one. */
export { warningPrinter, type ApiWarning, type WarningContext, type WarningHandler } from "./transport/index.js";

/** What `kube.resource(d).validate()` answers: the causes a 422 would carry. */
export type { FieldError } from "./validate/field-error.js";

/** The runtime's version (see CHANGELOG.md). */
export { RUNTIME_VERSION } from "./core/version.js";
