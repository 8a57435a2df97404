// Encodes a request to any API path (logs, /metrics, proxies) the same way build.ts encodes resource verbs.
import type { BuiltRequest } from "./build.js";
import type { HttpMethod } from "./method.js";
import { buildQuery, type QueryParams } from "./query.js";

/** A request to any API path, for what the resource clients do not cover. */
export interface RawRequest {
  method: HttpMethod;
  /** Absolute path, e.g. `/api/v1/namespaces/default/pods/x/log`; may already carry a query string. */
  path: string;
  query?: QueryParams | undefined;
  /** Objects are sent as JSON; strings and bytes as they are. */
  body?: unknown;
  /** Default `application/json` when there is a body. */
  contentType?: string | undefined;
  /** Default `application/json` for JSON requests, `*\/*` for text and streams. */
  accept?: string | undefined;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/** What the caller will do with the answer, which decides the default `accept`. */
export type AnswerKind = "json" | "text" | "stream";

const DEFAULT_ACCEPT: Readonly<Record<AnswerKind, string>> = { json: "application/json", text: "*/*", stream: "*/*" };

/** Path with query, headers and serialized body of a raw request; the caller's own headers win. */
export function buildRawRequest(request: RawRequest, answer: AnswerKind): BuiltRequest {
  const headers: Record<string, string> = { accept: request.accept ?? DEFAULT_ACCEPT[answer] };
  let body: string | Uint8Array | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === "string" || request.body instanceof Uint8Array ? request.body : JSON.stringify(request.body);
    headers["content-type"] = request.contentType ?? "application/json";
  }
  Object.assign(headers, request.headers);
  const path = appendQuery(request.path, request.query);
  return body === undefined ? { method: request.method, path, headers } : { method: request.method, path, headers, body };
}

/** `path` with `query` appended, after any query string the path already carries. */
export function appendQuery(path: string, query: QueryParams | undefined): string {
  if (!path.startsWith("/")) throw new TypeError(`request path ${JSON.stringify(path)} must be absolute (start with "/")`);
  const encoded = buildQuery(query);
  if (encoded === "") return path;
  return path.includes("?") ? `${path}&${encoded.slice(1)}` : `${path}${encoded}`;
}
