// The channel protocol (v5/v4.channel.k8s.io) over one WebSocket session: exec, attach and v4 port-forward speak it.
import type { RestClient } from "../rest/types.js";
import { CHANNEL_PROTOCOL_V5, decodeChannelMessage, encodeChannelMessage, encodeCloseSignal, type ChannelMessage } from "./channel-protocol.js";
import { openWebSocketSession, type OpenSessionOptions, type SessionEnd, type WebSocketSession } from "./websocket-session.js";

export type { OpenSessionOptions, SessionEnd } from "./websocket-session.js";

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

/**
 * Opens a channel-protocol WebSocket to the API server (see `openWebSocketSession` for credentials and the typed
 * errors of a refused upgrade).
 */
export async function openChannelSession(rest: RestClient, options: OpenSessionOptions, handlers: ChannelHandlers): Promise<ChannelSession> {
  const socket = await openWebSocketSession(rest, options, { bytes: (data) => handlers.message(decodeChannelMessage(data)), ended: handlers.ended });
  return channelSessionOver(socket);
}

/** The channel protocol on an open socket whose subprotocol is one of the channel versions. */
export function channelSessionOver(socket: WebSocketSession): ChannelSession {
  return {
    protocol: socket.protocol,
    url: socket.url,
    send: (channel, data) => socket.send(encodeChannelMessage(channel, data), `on channel ${channel}`),
    closeChannel(channel) {
      if (socket.protocol !== CHANNEL_PROTOCOL_V5 || !socket.isOpen) return false;
      void socket.send(encodeCloseSignal(channel), `the close of channel ${channel}`).catch(() => {}); // open: cannot fail
      return true;
    },
    close: () => socket.close(),
  };
}
