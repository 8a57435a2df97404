// The facade users hold: one cluster's typed resource clients, non-resource endpoints and raw requests, over one REST client.
import type { ResourceDescriptor } from "./api/descriptor.js";
import { createMetadataClient } from "./client/metadata-client.js";
import type { MetadataClientWith, MetadataVerb } from "./client/metadata-types.js";
import { createNonResourceApi, type NonResourceApi } from "./client/nonresource.js";
import { createResourceClient } from "./client/resource-client.js";
import type { ClientScopeOf, ClientWith, ObjectTypeOf, SubresourcesOf, VerbsOf } from "./client/resource-types.js";
import type { ScopeOf } from "./client/scope-types.js";
import { buildRawRequest, type RawRequest } from "./request/raw.js";
import { createRestClient } from "./rest/rest-client.js";
import type { RequestTransport, RestClient } from "./rest/types.js";
import type { UpgradeContext } from "./transport/types.js";
import type { ValidateMode } from "./validate/attach.js";

/** Options of `new KubeClient(transport, options)`. */
export interface KubeClientOptions {
  /** Default namespace of namespaced calls; "default" when unset. */
  namespace?: string | undefined;
  /** `"before-send"`: create, update and apply are checked against the generated schema before they are sent. */
  validate?: ValidateMode | undefined;
}

/**
 * One cluster: typed resource clients (`resource(descriptor)`), non-resource endpoints (`nonResource.version()`,
 * `.healthz()`, ...) and raw requests (`requestJson`, `requestText`, `requestStream`).
 * Make one with `connect()` (kubeconfig or in-cluster) or from any transport.
 */
export class KubeClient {
  /** Default namespace of namespaced calls. */
  readonly namespace: string;
  /** `/version`, `/healthz`, `/readyz`, `/livez`, `/metrics`, `/logs`, `/api`, `/apis`. */
  readonly nonResource: NonResourceApi;
  readonly #transport: RequestTransport;
  readonly #rest: RestClient;
  readonly #validate: ValidateMode;

  constructor(transport: RequestTransport, options: KubeClientOptions = {}) {
    this.#transport = transport;
    this.namespace = options.namespace || "default";
    this.#validate = options.validate ?? "off";
    this.#rest = createRestClient(transport);
    this.nonResource = createNonResourceApi(this.#rest);
  }

  /** Base URL of the API server, without trailing slashes. */
  get server(): string {
    return this.#rest.server;
  }

  /**
   * The client for one resource: exactly the descriptor's verbs as methods. Its type is spelled out (not
   * `ResourceClient<R>`) so that editors and compile errors show `ClientWith<verbs, object, scope, subresources>`
   * instead of the whole descriptor.
   */
  resource<const R extends ResourceDescriptor>(
    descriptor: R,
  ): ClientWith<VerbsOf<R>, ObjectTypeOf<R>, ClientScopeOf<R>, SubresourcesOf<R>> {
    return createResourceClient(this.#rest, descriptor, this.namespace, this.#validate);
  }

  /**
   * Metadata-only reads of one resource (`PartialObjectMetadata`: no spec, no status), as client-go's metadata
   * client: `get`, `list`, `listAll`, `watch` where the descriptor lists them. `createInformer(kube.metadata(pods))`
   * keeps a cache of metadata only, a fraction of a full one's memory. Its type is spelled out (as `resource`'s) so
   * that messages show `MetadataClientWith<"get" | "list" | "watch", Namespaced>`, not the whole descriptor.
   */
  metadata<const R extends ResourceDescriptor>(descriptor: R): MetadataClientWith<Extract<VerbsOf<R>, MetadataVerb>, ScopeOf<R>> {
    return createMetadataClient(this.#rest, descriptor, this.namespace);
  }

  /** Sends a request and parses the JSON answer; a non-2xx answer throws a `StatusError` subclass. */
  async requestJson<T = unknown>(request: RawRequest): Promise<T> {
    return this.#rest.json<T>(buildRawRequest(request, "json"), request);
  }

  /** Sends a request and returns the answer as text (e.g. `/metrics`, `/healthz?verbose`, pod logs). */
  async requestText(request: RawRequest): Promise<string> {
    return this.#rest.text(buildRawRequest(request, "text"), request);
  }

  /**
   * Sends a request and returns the answer's chunks as they arrive (watch, follow logs). Stop reading by
   * breaking out of the loop or aborting `signal`; both release the connection.
   */
  async requestStream(request: RawRequest): Promise<AsyncIterable<Uint8Array>> {
    return this.#rest.stream(buildRawRequest(request, "stream"), request);
  }

  /** Dispatcher, credential headers and base URL for a WebSocket upgrade (exec, attach, port-forward). */
  async upgradeContext(): Promise<UpgradeContext> {
    return this.#rest.upgradeContext();
  }

  /** Closes the connections to the cluster. */
  async close(): Promise<void> {
    await this.#transport.close();
  }
}

