// Sends built requests through a transport exactly as built, and turns refusals into typed errors.
import type { BuiltRequest } from "../request/build.js";
import { IDEMPOTENT_METHODS } from "../request/method.js";
import { serverBase } from "../server-url.js";
import { parseJson, readListPage } from "./json-body.js";
import { statusErrorFromResponse } from "./status-errors.js";
import type { CallOptions, RequestTransport, RestClient } from "./types.js";

/** The REST client over `transport`: it sends what it is given, and knows no defaults of the clients above it. */
export function createRestClient(transport: RequestTransport): RestClient {
  const server = serverBase(transport.server);
  const url = (path: string) => server + path;
  const send = async (request: BuiltRequest, call: CallOptions | undefined, streaming: boolean) => {
    // The wire fields only: how to decode the answer (`batchItems`) is this client's business.
    const response = await transport.send({
      method: request.method,
      path: request.path,
      headers: request.headers,
      ...(request.body !== undefined && { body: request.body }),
      ...(call?.signal && { signal: call.signal }),
      ...(call?.timeoutMs !== undefined && { timeoutMs: call.timeoutMs }),
      idempotent: IDEMPOTENT_METHODS.has(request.method),
      streaming,
    });
    if (response.statusCode >= 200 && response.statusCode <= 299) return response;
    const text = await response.body.text().catch(() => "");
    const context = { method: request.method, url: url(request.path) };
    // The transport's own credential was rejected (a caller's Authorization header is the caller's business).
    const hint = response.statusCode === 401 && !sentAuthorization(request) ? transport.unauthorizedHint?.() : undefined;
    throw statusErrorFromResponse(response.statusCode, text, hint === undefined ? context : { ...context, hint });
  };
  return {
    server,
    url,
    async json<T>(request: BuiltRequest, call?: CallOptions): Promise<T> {
      const { headers, body } = await send(request, call, false);
      const source = `${request.method} ${url(request.path)}`;
      return request.batchItems ? readListPage<T>(body, contentLength(headers["content-length"]), source) : parseJson<T>(await body.text(), source);
    },
    async text(request, call) {
      return (await send(request, call, false)).body.text();
    },
    async stream(request, call) {
      return (await send(request, call, true)).body;
    },
    async upgradeContext() {
      if (!transport.upgradeContext) {
        throw new TypeError("this client's transport cannot open WebSocket sessions (exec, attach, port-forward): give it an upgradeContext(), or build the client with connect() or createTransport()");
      }
      return transport.upgradeContext();
    },
  };
}

function sentAuthorization(request: BuiltRequest): boolean {
  return Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === "authorization");
}

function contentLength(header: string | string[] | undefined): number | undefined {
  const length = Number(Array.isArray(header) ? header[0] : header);
  return header === undefined || !Number.isSafeInteger(length) ? undefined : length;
}
