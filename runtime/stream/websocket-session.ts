// One binary WebSocket to the API server through the client's dispatcher: the handshake's typed errors, sending with
// backpressure, and how the session ended. The channel protocol (channel-session.ts) and the SPDY tunnel ride on it.
import { WebSocket } from "undici";
import type { RestClient } from "../rest/types.js";
import { serverBase } from "../server-url.js";
import { statusErrorFromResponse } from "../rest/status-errors.js";
import { toTransportError } from "../transport/errors.js";
import { StreamClosedError, StreamProtocolError } from "./errors.js";
import { observeHandshake, type HandshakeAnswer } from "./handshake-observer.js";

/** Sending pauses while more than this many bytes wait in the socket (WHATWG WebSocket has no drain event). */
const SEND_HIGH_WATER_BYTES = 1024 * 1024;
const DRAIN_POLL_MS = 5;
const NORMAL_CLOSURE = 1000;
const NO_STATUS_RECEIVED = 1005;
/** RFC 7230 token characters: what the WHATWG constructor accepts as a subprotocol. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** How a session ended. `error` is set when it did not end as the protocol intends. */
export interface SessionEnd {
  code: number;
  reason: string;
  error?: Error;
}

/** Receives a socket's binary messages and its end; `opened` first (once, before any message), `ended` last. */
export interface WebSocketHandlers {
  /** The server accepted the upgrade (see `session.protocol`); called before the first message so the caller can pick how to read them. */
  opened?(session: WebSocketSession): void;
  /** One message's bytes; throwing closes the session with that error. */
  bytes(data: Uint8Array): void;
  ended(end: SessionEnd): void;
}

/** One open binary WebSocket. */
export interface WebSocketSession {
  /** The subprotocol the server chose, e.g. `v5.channel.k8s.io`. */
  readonly protocol: string;
  /** The URL without credentials, for messages. */
  readonly url: string;
  /** True until the session starts closing. */
  readonly isOpen: boolean;
  /** Sends one binary message; resolves once the socket has room for more. */
  send(data: Uint8Array, what: string): Promise<void>;
  /** Ends the session (normal closure); `ended` follows. */
  close(): void;
  /** Ends the session because this side found `error`; `ended` reports it. */
  fail(error: Error): void;
}

export interface OpenSessionOptions {
  /** Absolute API path with query, e.g. `/api/v1/namespaces/ns/pods/p/exec?command=ls&stdout=true`. */
  path: string;
  /** Offered subprotocols, preferred first. */
  protocols: readonly string[];
  signal?: AbortSignal;
}

/**
 * Opens a binary WebSocket to the API server through the client's own dispatcher (its TLS, client
 * certificate and proxy) with its credential headers. A refused upgrade rejects with the same typed error as
 * any request (a `StatusError`: `isUnauthorized`, `isNotFound`, ...); a 401 is retried once when the credentials can
 * be refreshed (exec plugins).
 */
export async function openWebSocketSession(rest: RestClient, options: OpenSessionOptions, handlers: WebSocketHandlers): Promise<WebSocketSession> {
  options.signal?.throwIfAborted();
  const first = await rest.upgradeContext();
  refuseStandInUndici(first, options.path);
  try {
    return await connectOnce(first, options, handlers);
  } catch (error) {
    if (!isUnauthorized(error) || !(await first.refreshAfterUnauthorized())) throw error;
    return connectOnce(await rest.upgradeContext(), options, handlers);
  }
}

/**
 * The handshake's answer (a typed 403 or 404) and the cluster's TLS come through undici's dispatcher API, which
 * runtimes that replace undici with a stand-in (Bun) do not have: say so rather than fail inside it.
 */
function refuseStandInUndici(context: UpgradeContext, path: string): void {
  if (typeof (context.dispatcher as { compose?: unknown }).compose === "function") return;
  const url = redactedUrl(webSocketUrl(context.server, path));
  throw new StreamProtocolError(`${url}: exec, attach and port-forward need undici's WebSocket client, which this runtime replaces with its own (Bun); run them on Node or Deno`);
}

function isUnauthorized(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 401;
}

function webSocketUrl(server: string, path: string): string {
  const url = new URL(serverBase(server) + path);
  url.protocol = url.protocol === "http:" ? "ws:" : "wss:";
  return url.toString();
}

type UpgradeContext = Awaited<ReturnType<RestClient["upgradeContext"]>>;

/**
 * The WHATWG constructor refuses subprotocols that are not tokens, such as the tunnel's `SPDY/3.1+portforward.k8s.io`;
 * undici then takes the offer from the request's own header and still checks the answer against it.
 */
function offer(protocols: readonly string[], headers: Record<string, string>): { protocols: string[]; headers: Record<string, string> } {
  if (protocols.every((protocol) => TOKEN.test(protocol))) return { protocols: [...protocols], headers };
  return { protocols: [], headers: { ...headers, "sec-websocket-protocol": protocols.join(", ") } };
}

function connectOnce(context: UpgradeContext, options: OpenSessionOptions, handlers: WebSocketHandlers): Promise<WebSocketSession> {
  const url = redactedUrl(webSocketUrl(context.server, options.path));
  const answer: HandshakeAnswer = { body: [] };
  const socket = new WebSocket(url, { ...offer(options.protocols, context.headers), dispatcher: observeHandshake(context.dispatcher, answer) });
  socket.binaryType = "arraybuffer";

  return new Promise<WebSocketSession>((resolve, reject) => {
    let resolved = false;
    let localError: Error | undefined;
    const onAbort = () => {
      localError ??= abortReason(options.signal);
      socket.close(NORMAL_CLOSURE);
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const session = sessionOver(socket, url, (error) => {
      localError ??= error;
    });

    socket.addEventListener("open", () => {
      if (!options.protocols.includes(socket.protocol)) {
        localError = new StreamProtocolError(`${url} chose subprotocol ${JSON.stringify(socket.protocol)}; we offered ${options.protocols.join(", ")}`);
        socket.close(NORMAL_CLOSURE, "unexpected subprotocol"); // WHATWG close() takes only 1000 or 3000-4999
        return;
      }
      resolved = true;
      handlers.opened?.(session);
      resolve(session);
    });
    socket.addEventListener("message", (event) => {
      if (localError) return;
      try {
        const data = typeof event.data === "string" ? new TextEncoder().encode(event.data) : new Uint8Array(event.data as ArrayBuffer);
        handlers.bytes(data);
      } catch (error) {
        localError = error as Error;
        socket.close(NORMAL_CLOSURE, "protocol error");
      }
    });
    socket.addEventListener("close", (event) => {
      options.signal?.removeEventListener("abort", onAbort);
      if (!resolved) {
        reject(localError ?? handshakeError(context, url, answer, options.protocols));
        return;
      }
      const end: SessionEnd = { code: event.code, reason: event.reason };
      if (localError) end.error = localError;
      else if (event.code !== NORMAL_CLOSURE && event.code !== NO_STATUS_RECEIVED) {
        end.error = new StreamClosedError(`the session with ${url} ended abnormally (WebSocket close code ${event.code}${event.reason ? `: ${event.reason}` : ""})`, {
          url,
          closeCode: event.code,
        });
      }
      handlers.ended(end);
    });
  });
}

/** The session over `socket`: sends wait while the socket holds more than SEND_HIGH_WATER_BYTES; `failed` keeps why it was failed. */
function sessionOver(socket: WebSocket, url: string, failed: (error: Error) => void): WebSocketSession {
  const session: WebSocketSession = {
    get protocol() {
      return socket.protocol;
    },
    url,
    get isOpen() {
      return socket.readyState === WebSocket.OPEN;
    },
    async send(data, what) {
      if (socket.readyState !== WebSocket.OPEN) {
        throw new StreamClosedError(`cannot send ${what}: the session with ${url} is closed`, { url, closeCode: 0 });
      }
      socket.send(data);
      while (socket.bufferedAmount > SEND_HIGH_WATER_BYTES && socket.readyState === WebSocket.OPEN) {
        await new Promise((wake) => setTimeout(wake, DRAIN_POLL_MS));
      }
    },
    close() {
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(NORMAL_CLOSURE);
    },
    fail(error) {
      failed(error);
      session.close();
    },
  };
  return session;
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException("the operation was aborted", "AbortError");
}

/** Query strings of exec requests carry commands, not credentials; keep them but never the userinfo. */
function redactedUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  return parsed.toString();
}

/** Why a WebSocket never opened: the server's answer as a typed error (a 401 saying which credential), else the network failure. */
function handshakeError(context: UpgradeContext, shown: string, answer: HandshakeAnswer, protocols: readonly string[]): Error {
  const server = context.server;
  if (answer.statusCode !== undefined && answer.statusCode !== 101) {
    const hint = answer.statusCode === 401 ? context.unauthorizedHint?.() : undefined;
    return statusErrorFromResponse(answer.statusCode, Buffer.concat(answer.body).toString("utf8"), { method: "GET", url: shown, ...(hint !== undefined && { hint }) });
  }
  if (answer.statusCode === 101) {
    return new StreamProtocolError(`${shown} accepted the upgrade but not as a WebSocket speaking one of ${protocols.join(", ")}`);
  }
  if (answer.error) {
    const translated = toTransportError(answer.error, { server });
    if (translated instanceof Error) return translated;
  }
  return new StreamClosedError(`the WebSocket upgrade to ${shown} failed before any answer`, { url: shown, closeCode: 1006 });
}
