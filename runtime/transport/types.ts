import type { Dispatcher } from "undici";
import type { ClusterConnection } from "../config/types.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

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

export interface TransportResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** Read or stream it; a response that is not consumed should be dumped (`body.dump()`). */
  body: Dispatcher.ResponseData["body"];
}

export interface Transport {
  readonly server: string;
  readonly connection: ClusterConnection;
  send(request: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

export interface TransportOptions {
  /** Per request, until the response headers arrive, and the body's inactivity limit; default 30 s, 0 = none. */
  timeoutMs?: number;
  /** Retries for 429/503 and (idempotent requests) connection failures; default 3. */
  maxRetries?: number;
  userAgent?: string;
  /** Longest Retry-After we wait for; a longer one returns the response as is. Default 30 s. */
  maxRetryAfterMs?: number;
  /** First backoff step when the server gives no Retry-After; default 200 ms, doubling, jittered. */
  retryBaseDelayMs?: number;
}

export function isIdempotent(request: TransportRequest): boolean {
  return request.idempotent ?? ["GET", "HEAD", "PUT", "DELETE"].includes(request.method);
}
