import type { Dispatcher } from "undici";
import type { ClusterConnection } from "../config/types.js";
import { IDEMPOTENT_METHODS, type HttpMethod } from "../request/method.js";

export type { HttpMethod };

/** One HTTP request as the transport sends it (path already built, body already serialized). */
export interface TransportRequest {
  method: HttpMethod;
  /** Absolute path with query string, e.g. `/api/v1/namespaces?limit=1`; appended to the server URL (which may carry a prefix). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
  /** Overrides the transport's timeout for this request; 0 = none. */
  timeoutMs?: number;
  /** May the request be resent after a connection failure? Default: true for GET/HEAD/PUT/DELETE. */
  idempotent?: boolean;
  /** Watch/logs: the body may stay open indefinitely, so it has no inactivity timeout. */
  streaming?: boolean;
}

/** The status, headers and unread body of an answer; the caller reads or streams the body. */
export interface TransportResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** Read or stream it; a response that is not consumed should be dumped (`body.dump()`). */
  body: Dispatcher.ResponseData["body"];
}

/** One cluster's HTTP layer: TLS, auth, retries and timeouts applied to every request it sends. */
export interface Transport {
  readonly server: string;
  readonly connection: ClusterConnection;
  send(request: TransportRequest): Promise<TransportResponse>;
  /** What a 401 answer to this transport's credentials should add to its message: which credential, what to do. */
  unauthorizedHint?(): string;
  /** What a WebSocket upgrade (exec, attach, port-forward) needs to use this cluster's TLS, proxy and credentials. */
  upgradeContext(): Promise<UpgradeContext>;
  close(): Promise<void>;
}

/**
 * A WebSocket upgrade cannot go through `send` (undici's WebSocket owns the exchange), so the transport hands
 * out its pieces instead: the pool with the cluster's TLS settings and proxy, and the credential headers.
 */
export interface UpgradeContext {
  /** Base URL of the API server (may carry a path prefix). */
  readonly server: string;
  /** The cluster's dispatcher: TLS (CA, client certificate), `proxy-url`. */
  readonly dispatcher: Dispatcher;
  /** Credential and user-agent headers for the upgrade request; secrets, never log them. */
  readonly headers: Record<string, string>;
  /** After a 401 on the upgrade: true when fresh credentials are available, worth one more attempt. */
  refreshAfterUnauthorized(): Promise<boolean>;
  /** What a 401 to the upgrade adds to its message, as `Transport.unauthorizedHint` does for a request's. */
  unauthorizedHint?(): string;
}

/** How a transport times out and retries; every field has a default. */
export interface TransportOptions {
  /** Per request, for the whole exchange including reading the body (streaming bodies: until the headers); default 30 s, 0 = none. */
  timeoutMs?: number | undefined;
  /** Retries for 429/503 and (idempotent requests) connection failures; default 3. Watches: only 429/503 with Retry-After. */
  maxRetries?: number | undefined;
  userAgent?: string | undefined;
  /** Longest Retry-After we wait for; a longer one returns the response as is. Default 30 s. */
  maxRetryAfterMs?: number | undefined;
  /** First backoff step when the server gives no Retry-After; default 200 ms, doubling, jittered. */
  retryBaseDelayMs?: number | undefined;
  /** The server's `Warning` headers: a handler, or `false` to ignore them. Default: each distinct text once on stderr. */
  warnings?: WarningHandler | false | undefined;
}

/** Whether `request` may be resent after a connection failure: its own say, else its method's. */
export function isIdempotent(request: TransportRequest): boolean {
  return request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
}

/** One warning of a `Warning` response header (RFC 7234 5.5): kube-apiserver sends code 299 and agent `-`. */
export interface ApiWarning {
  /** Three-digit warn-code; 299 ("miscellaneous persistent warning") is what Kubernetes sends. */
  code: number;
  /** warn-agent: the server's name, `-` when unknown (as kube-apiserver sends it). */
  agent: string;
  /** The warning itself, unquoted: `networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, ...`. */
  text: string;
}

/** The request whose response carried a warning. */
export interface WarningContext {
  method: HttpMethod;
  /** Path and query as sent (`/apis/networking.k8s.io/v1beta1/namespaces/default/ingresses`). */
  path: string;
}

/** Receives every warning of every response; `connect({ warnings: handler })`. */
export type WarningHandler = (warning: ApiWarning, context: WarningContext) => void;
