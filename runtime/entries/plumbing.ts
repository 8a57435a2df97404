/**
 * The building blocks (`kubetyped/runtime/plumbing`): what generated modules import (`defineResource`), what a
 * hand-built client is made of (kubeconfig loading, the transport, `new KubeClient(options)`), and the types the
 * clients' types are composed of. Everyday code needs none of it: `kubetyped/runtime` is the front door.
 * @packageDocumentation
 */

/** Descriptors: what generated modules declare with `defineResource`, and the version line they name. */
export {
  defineResource,
  type ResourceDescriptor,
  type SubresourceDescriptor,
  type TypedResource,
  type ObjectOf,
  type SubresourceTypesOf,
  type SelectableFieldsOf,
  type Verb,
} from "../api/descriptor.js";
export { RUNTIME_COMPATIBILITY, type RuntimeCompatibility } from "../core/version.js";

/** A client built by hand: configuration, the transport (undici, auth, TLS, retries), raw requests. */
export {
  resolveConnection,
  loadKubeconfig,
  loadInClusterConfig,
  listContexts,
  type ResolveConnectionOptions,
  type LoadKubeconfigOptions,
  type InClusterOptions,
  type Credentials,
  type ExecCredentialConfig,
  type TlsSettings,
} from "../config/index.js";
export { createTransport, type Transport, type TransportOptions, type TransportRequest, type TransportResponse, type UpgradeContext } from "../transport/index.js";
export type { KubeClientOptions } from "../kube-client.js";
export type { RawRequest } from "../request/raw.js";
export type { RequestTransport, ResponseBody } from "../rest/types.js";
export type { DeleteOptions, HttpMethod, PatchType, QueryOptions, QueryParams, QueryValue } from "../request/index.js";
export type { RequestContext } from "../rest/status-errors.js";

/** What the clients' types are composed of: verb methods, scopes, subresources, call-option pieces, non-resource answers. */
export type {
  NamedBody,
  AnyScope,
  ScopeOf,
  ClientScopeOf,
  SelectableFields,
  SubresourceClient,
  Subresource,
  SubresourcesOf,
  CreateOnlyMethod,
  PatchBody,
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
  WatchEventOf,
  MetadataClientWith,
  MetadataVerbMethods,
  NonResourceApi,
  VersionInfo,
  APIVersions,
  APIGroupList,
  HealthOptions,
} from "../client/index.js";
export type { ObjectMetaLike } from "../api/objects.js";
export type { ObjectMetadata, OwnerReferenceLike } from "../api/metadata.js";
export type { WatchEventType, WatchBackoff } from "../watch/index.js";

/** The pieces of selectors: requirement and value types, field-path hints, the escaping `fields()` applies. */
export {
  escapeFieldValue,
  type LabelRequirement,
  type LabelSelectorValue,
  type LabelSelectorObject,
  type FieldSelectorValue,
  type CommonFieldPath,
  type FieldSelectorOption,
  type SelectorOptions,
} from "../selectors.js";
