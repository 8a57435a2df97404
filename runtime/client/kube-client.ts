import { ResponseDecodeError, statusErrorFromResponse } from "../errors.js";
import { buildQuery, type HttpMethod, type QueryParams } from "../request/index.js";
import type { ResourceDescriptor } from "./descriptor.js";
import { createNonResourceApi, type NonResourceApi } from "../nonresource.js";
import { createResourceClient } from "./resource-client.js";
import type { ResourceClient } from "./resource-types.js";
import { IDEMPOTENT_METHODS, type TransportRequest, type TransportResponse, type UpgradeContext } from "../transport/types.js";

/** A response body as undici hands it over: readable once, as text or as a stream of chunks. */
export interface ResponseBody extends AsyncIterable<Uint8Array> {
  text(): Promise<string>;
  dump?(): Promise<void>;
}

/** What the client needs from a transport (`runtime/transport`'s `Transport` satisfies it; tests pass fakes). */
export interface RequestTransport {
  /** Base URL, used in error messages. */
  readonly server: string;
  send(request: TransportRequest): Promise<{ statusCode: number; headers: TransportResponse["headers"]; body: ResponseBody }>;
  /** Needed only for WebSocket sessions (exec, attach, port-forward); `createTransport` provides it. */
  upgradeContext?(): Promise<UpgradeContext>;
  close(): Promise<void>;
}

/** A request to any API path, for what the resource clients do not cover. */
export interface RawRequest {
  method: HttpMethod;
  /** Absolute path, e.g. `/api/v1/namespaces/default/pods/x/log`; may already carry a query string. */
  path: string;
  query?: QueryParams;
  /** Objects are sent as JSON; strings and bytes as they are. */
  body?: unknown;
  /** Default `application/json` when there is a body. */
  contentType?: string;
  /** Default `application/json` for JSON requests, `*\/*` for text and streams. */
  accept?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Options of `new KubeClient(transport, options)`. */
export interface KubeClientOptions {
  /** Default namespace of namespaced calls; "default" when unset. */
  namespace?: string;
}

/**
 * One cluster: raw requests (`requestJson`, `requestText`, `requestStream`), typed resource clients
 * (`resource(descriptor)`) and non-resource endpoints (`nonResource.version()`, `.healthz()`, ...).
 * Make one with `connect()` (kubeconfig or in-cluster) or from any transport.
 */
export class KubeClient {
  /** Default namespace of namespaced calls. */
  readonly namespace: string;
  /** `/version`, `/healthz`, `/readyz`, `/livez`, `/metrics`, `/logs`, `/api`, `/apis`. */
  readonly nonResource: NonResourceApi;
  readonly #transport: RequestTransport;

  constructor(transport: RequestTransport, options: KubeClientOptions = {}) {
    this.#transport = transport;
    this.namespace = options.namespace || "default";
    this.nonResource = createNonResourceApi(this);
  }

  /**
   * Same as the top-level `connect()`: kubeconfig or in-cluster, as kubectl would pick.
   * Loaded lazily so the client does not depend on config and transport code when built from a fake transport.
   */
  static async connect(options?: import("../connect.js").ConnectOptions): Promise<KubeClient> {
    const { connect } = await import("../connect.js");
    return connect(options);
  }

  /** Base URL of the API server. */
  get server(): string {
    return this.#transport.server;
  }

  /** The client for one resource: exactly the descriptor's verbs as methods. */
  resource<const R extends ResourceDescriptor>(descriptor: R): ResourceClient<R> {
    return createResourceClient(this, descriptor);
  }

  /** Sends a request and parses the JSON answer; a non-2xx answer throws a `StatusError` subclass. */
  async requestJson<T = unknown>(request: RawRequest): Promise<T> {
    const { body, url } = await this.#send(request, "application/json", false);
    const text = await body.text();
    if (text.trim() === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new ResponseDecodeError(`${request.method} ${url}: the answer is not JSON (${(error as Error).message}): ${text.slice(0, 120)}`);
    }
  }

  /** Sends a request and returns the answer as text (e.g. `/metrics`, `/healthz?verbose`, pod logs). */
  async requestText(request: RawRequest): Promise<string> {
    const { body } = await this.#send(request, "*/*", false);
    return body.text();
  }

  /**
   * Sends a request and returns the answer's chunks as they arrive (watch, follow logs). Stop reading by
   * breaking out of the loop or aborting `signal`; both release the connection.
   */
  async requestStream(request: RawRequest): Promise<AsyncIterable<Uint8Array>> {
    const { body } = await this.#send(request, "*/*", true);
    return body;
  }

  /** Dispatcher, credential headers and base URL for a WebSocket upgrade (exec, attach, port-forward). */
  async upgradeContext(): Promise<UpgradeContext> {
    if (!this.#transport.upgradeContext) {
      throw new TypeError("this client's transport cannot open WebSocket sessions (exec, attach, port-forward): give it an upgradeContext(), or build the client with connect() or createTransport()");
    }
    return this.#transport.upgradeContext();
  }

  /** Closes the connections to the cluster. */
  async close(): Promise<void> {
    await this.#transport.close();
  }

  async #send(request: RawRequest, defaultAccept: string, streaming: boolean): Promise<{ body: ResponseBody; url: string }> {
    const path = appendQuery(request.path, request.query);
    const url = `${this.#transport.server.replace(/\/+$/, "")}${path}`;
    const headers: Record<string, string> = { accept: request.accept ?? defaultAccept };
    let body: string | Uint8Array | undefined;
    if (request.body !== undefined) {
      body = typeof request.body === "string" || request.body instanceof Uint8Array ? request.body : JSON.stringify(request.body);
      headers["content-type"] = request.contentType ?? "application/json";
    }
    Object.assign(headers, request.headers);
    const response = await this.#transport.send({
      method: request.method,
      path,
      headers,
      ...(body !== undefined && { body }),
      ...(request.signal && { signal: request.signal }),
      ...(request.timeoutMs !== undefined && { timeoutMs: request.timeoutMs }),
      idempotent: IDEMPOTENT_METHODS.has(request.method),
      streaming,
    });
    if (response.statusCode < 200 || response.statusCode > 299) {
      const text = await response.body.text().catch(() => "");
      throw statusErrorFromResponse(response.statusCode, text, { method: request.method, url });
    }
    return { body: response.body, url };
  }
}

function appendQuery(path: string, query: QueryParams | undefined): string {
  if (!path.startsWith("/")) throw new TypeError(`request path ${JSON.stringify(path)} must be absolute (start with "/")`);
  const encoded = buildQuery(query);
  if (encoded === "") return path;
  return path.includes("?") ? `${path}&${encoded.slice(1)}` : `${path}${encoded}`;
}
