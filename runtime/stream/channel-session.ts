import { WebSocket } from "undici";
import { serverBase } from "../server-url.js";
import type { RestClient } from "../rest/types.js";
import { statusErrorFromResponse } from "../rest/status-errors.js";
import { toTransportError } from "../transport/errors.js";
import { CHANNEL_PROTOCOL_V5, decodeChannelMessage, encodeChannelMessage, encodeCloseSignal, type ChannelMessage } from "./channel-protocol.js";
import { StreamClosedError, StreamProtocolError } from "./errors.js";
import { observeHandshake, type HandshakeAnswer } from "./handshake-observer.js";

/** Sending pauses while more than this many bytes wait in the socket (WHATWG WebSocket has no drain event). */
const SEND_HIGH_WATER_BYTES = 1024 * 1024;
const DRAIN_POLL_MS = 5;
const NORMAL_CLOSURE = 1000;
const NO_STATUS_RECEIVED = 1005;

/** How a session ended. `error` is set when it did not end as the protocol intends. */
export interface SessionEnd {
  code: number;
  reason: string;
  error?: Error;
}

/** Receives a session's messages and its end; both are called at most in order, `ended` once. */
export interface ChannelHandlers {
  message(message: ChannelMessage): void;
  ended(end: SessionEnd): void;
}

/** One open WebSocket speaking the channel protocol. */
export interface ChannelSession {
  /** The subprotocol the server chose, e.g. `v5.channel.k8s.io`. */
  readonly protocol: string;
  /** The URL without credentials, for messages. */
  readonly url: string;
  /** Sends `data` on `channel`; resolves once the socket has room for more. */
  send(channel: number, data: Uint8Array | string): Promise<void>;
  /** v5: tells the server `channel` is done (end of stdin). False on v4, which cannot say so. */
  closeChannel(channel: number): boolean;
  /** Ends the session (normal closure); `ended` follows. */
  close(): void;
}

export interface OpenSessionOptions {
  /** Absolute API path with query, e.g. `/api/v1/namespaces/ns/pods/p/exec?command=ls&stdout=true`. */
  path: string;
  /** Offered subprotocols, preferred first. */
  protocols: readonly string[];
  signal?: AbortSignal;
}

/**
 * Opens a channel-protocol WebSocket to the API server through the client's own dispatcher (its TLS, client
 * certificate and proxy) with its credential headers. A refused upgrade rejects with the same typed error as
 * any request (`UnauthorizedError`, `NotFoundError`, ...); a 401 is retried once when the credentials can
 * be refreshed (exec plugins).
 */
export async function openChannelSession(rest: RestClient, options: OpenSessionOptions, handlers: ChannelHandlers): Promise<ChannelSession> {
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

function connectOnce(context: UpgradeContext, options: OpenSessionOptions, handlers: ChannelHandlers): Promise<ChannelSession> {
  const url = redactedUrl(webSocketUrl(context.server, options.path));
  const answer: HandshakeAnswer = { body: [] };
  const socket = new WebSocket(url, {
    protocols: [...options.protocols],
    dispatcher: observeHandshake(context.dispatcher, answer),
    headers: context.headers,
  });
  socket.binaryType = "arraybuffer";

  return new Promise<ChannelSession>((resolve, reject) => {
    let resolved = false;
    let localError: Error | undefined;
    const onAbort = () => {
      localError ??= abortReason(options.signal);
      socket.close(NORMAL_CLOSURE);
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const session = sessionOver(socket, url);

    socket.addEventListener("open", () => {
      if (!options.protocols.includes(socket.protocol)) {
        localError = new StreamProtocolError(`${url} chose subprotocol ${JSON.stringify(socket.protocol)}; we offered ${options.protocols.join(", ")}`);
        socket.close(NORMAL_CLOSURE, "unexpected subprotocol"); // WHATWG close() takes only 1000 or 3000-4999
        return;
      }
      resolved = true;
      resolve(session);
    });
    socket.addEventListener("message", (event) => {
      if (localError) return;
      try {
        const data = typeof event.data === "string" ? new TextEncoder().encode(event.data) : new Uint8Array(event.data as ArrayBuffer);
        handlers.message(decodeChannelMessage(data));
      } catch (error) {
        localError = error as Error;
        socket.close(NORMAL_CLOSURE, "protocol error");
      }
    });
    socket.addEventListener("close", (event) => {
      options.signal?.removeEventListener("abort", onAbort);
      if (!resolved) {
        reject(localError ?? handshakeError(context.server, url, answer, options.protocols));
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

/** The session over `socket`: sends wait while the socket holds more than SEND_HIGH_WATER_BYTES. */
function sessionOver(socket: WebSocket, url: string): ChannelSession {
  return {
    get protocol() {
      return socket.protocol;
    },
    url,
    async send(channel, data) {
      if (socket.readyState !== WebSocket.OPEN) {
        throw new StreamClosedError(`cannot send on channel ${channel}: the session with ${url} is closed`, { url, closeCode: 0 });
      }
      socket.send(encodeChannelMessage(channel, data));
      while (socket.bufferedAmount > SEND_HIGH_WATER_BYTES && socket.readyState === WebSocket.OPEN) {
        await new Promise((wake) => setTimeout(wake, DRAIN_POLL_MS));
      }
    },
    closeChannel(channel) {
      if (socket.protocol !== CHANNEL_PROTOCOL_V5 || socket.readyState !== WebSocket.OPEN) return false;
      socket.send(encodeCloseSignal(channel));
      return true;
    },
    close() {
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(NORMAL_CLOSURE);
    },
  };
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

/** Why a WebSocket never opened: the server's answer as a typed error, else the network failure. */
function handshakeError(server: string, shown: string, answer: HandshakeAnswer, protocols: readonly string[]): Error {
  if (answer.statusCode !== undefined && answer.statusCode !== 101) {
    return statusErrorFromResponse(answer.statusCode, Buffer.concat(answer.body).toString("utf8"), { method: "GET", url: shown });
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
