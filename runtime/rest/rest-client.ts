// Sends built requests through a transport exactly as built, and turns refusals into typed errors.
import type { BuiltRequest } from "../request/build.js";
import { IDEMPOTENT_METHODS } from "../request/method.js";
import { ResponseDecodeError, statusErrorFromResponse } from "./status-errors.js";
import type { CallOptions, RequestTransport, ResponseBody, RestClient } from "./types.js";

/** The REST client over `transport`; `namespace` is the default of namespaced calls. */
export function createRestClient(transport: RequestTransport, namespace: string): RestClient {
  const base = transport.server.replace(/\/+$/, "");
  const send = async (request: BuiltRequest, call: CallOptions | undefined, streaming: boolean): Promise<ResponseBody> => {
    const response = await transport.send({
      ...request,
      ...(call?.signal && { signal: call.signal }),
      ...(call?.timeoutMs !== undefined && { timeoutMs: call.timeoutMs }),
      idempotent: IDEMPOTENT_METHODS.has(request.method),
      streaming,
    });
    if (response.statusCode >= 200 && response.statusCode <= 299) return response.body;
    const text = await response.body.text().catch(() => "");
    throw statusErrorFromResponse(response.statusCode, text, { method: request.method, url: `${base}${request.path}` });
  };
  return {
    server: transport.server,
    namespace,
    async json<T>(request: BuiltRequest, call?: CallOptions): Promise<T> {
      const text = await (await send(request, call, false)).text();
      return parseJson<T>(text, `${request.method} ${base}${request.path}`);
    },
    async text(request, call) {
      return (await send(request, call, false)).text();
    },
    async stream(request, call) {
      return send(request, call, true);
    },
    async upgradeContext() {
      if (!transport.upgradeContext) {
        throw new TypeError("this client's transport cannot open WebSocket sessions (exec, attach, port-forward): give it an upgradeContext(), or build the client with connect() or createTransport()");
      }
      return transport.upgradeContext();
    },
  };
}

function parseJson<T>(text: string, source: string): T {
  if (text.trim() === "") return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ResponseDecodeError(`${source}: the answer is not JSON (${(error as Error).message}): ${text.slice(0, 120)}`);
  }
}
