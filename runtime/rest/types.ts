// The narrow seam every client room stands on: send a finished request as it is, get JSON, text or a stream back.
import type { BuiltRequest } from "../request/build.js";
import type { TransportRequest, TransportResponse, UpgradeContext } from "../transport/types.js";

/** A response body as undici hands it over: readable once, as text or as a stream of chunks. */
export interface ResponseBody extends AsyncIterable<Uint8Array> {
  text(): Promise<string>;
  dump?(): Promise<void>;
}

/** What the REST client needs from a transport (`runtime/transport`'s `Transport` satisfies it; tests pass fakes). */
export interface RequestTransport {
  /** Base URL, used in error messages. */
  readonly server: string;
  send(request: TransportRequest): Promise<{ statusCode: number; headers: TransportResponse["headers"]; body: ResponseBody }>;
  /** What a 401 answer to this transport's credentials should add to its message (which credential, what to do). */
  unauthorizedHint?(): string;
  /** Needed only for WebSocket sessions (exec, attach, port-forward); `createTransport` provides it. */
  upgradeContext?(): Promise<UpgradeContext>;
  close(): Promise<void>;
}

/**
 * How one call is sent, apart from what it says on the wire. A verb's options and a `RawRequest` carry these
 * fields themselves and are passed as they are: the REST client is the one place that picks them out.
 */
export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** This call's timeout instead of the transport's; 0 = none. */
  timeoutMs?: number | undefined;
}

/**
 * One cluster's REST interface: watch, streams, informers, resource and non-resource clients depend on this,
 * never on the `KubeClient` facade. A non-2xx answer rejects with the matching `StatusError` subclass.
 */
export interface RestClient {
  /** Base URL of the API server without trailing slashes, for messages. */
  readonly server: string;
  /** The full URL of absolute path `path` on this server, for messages: the one place a server and a path are joined. */
  url(path: string): string;
  /** Sends `request` and parses the JSON answer (undefined for an empty body). */
  json<T>(request: BuiltRequest, call?: CallOptions): Promise<T>;
  /** Sends `request` and reads the answer as text. */
  text(request: BuiltRequest, call?: CallOptions): Promise<string>;
  /** Sends `request` and hands over the answer's chunks as they arrive; no inactivity timeout. */
  stream(request: BuiltRequest, call?: CallOptions): Promise<AsyncIterable<Uint8Array>>;
  /** Dispatcher, credential headers and base URL for a WebSocket upgrade (exec, attach, port-forward). */
  upgradeContext(): Promise<UpgradeContext>;
}
