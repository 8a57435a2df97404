import { Duplex } from "node:stream";
import { createServer, type AddressInfo, type Socket } from "node:net";
import type { RestClient } from "../rest/types.js";
import { buildQuery, RequestValidationError } from "../request/index.js";
import { decodeChannelMessage, decodePortPrefix, PORT_FORWARD_PROTOCOLS, portForwardChannels } from "./channel-protocol.js";
import { channelSessionOver } from "./channel-session.js";
import { PortForwardError, StreamProtocolError } from "./errors.js";
import { PORT_FORWARD_TUNNEL_PROTOCOL, tunnelProtocol, type ForwardedPort, type ForwardProtocol } from "./port-forward-tunnel.js";
import { openWebSocketSession, type SessionEnd, type WebSocketSession } from "./websocket-session.js";

/** Offered in one handshake, preferred first. */
const PORT_FORWARD_OFFER: readonly string[] = [PORT_FORWARD_TUNNEL_PROTOCOL, ...PORT_FORWARD_PROTOCOLS];

/** The pod ports one port-forward session carries. */
export interface PortForwardOptions {
  /** Pod ports to forward, each once. */
  ports: readonly number[];
  /** Closes the session. */
  signal?: AbortSignal | undefined;
}

/**
 * One port-forward WebSocket session: one duplex stream per pod port. Both protocols give each port a single
 * connection for the session's lifetime, so a second connection to the same port needs a new session, which is
 * what `listen` does for every accepted connection.
 */
export interface PortForwardSession {
  readonly ports: readonly number[];
  /**
   * The subprotocol the server chose: `SPDY/3.1+portforward.k8s.io` (1.31+ tunnels SPDY to the kubelet; ending a
   * stream's writable side half-closes the pod connection) or `v4.channel.k8s.io` (no half-close).
   */
  readonly protocol: string;
  /** The byte stream to pod port `port`. It errors with `PortForwardError` when the pod reports a failure. */
  stream(port: number): Duplex;
  /** Resolves when the session has ended (closed by either side). */
  readonly closed: Promise<void>;
  close(): void;
}

/** A local TCP listener forwarding each accepted connection to a pod port over its own session. */
export interface PortForwardListener {
  /** The local address; `port` is the one chosen when `localPort` was 0. */
  readonly address: AddressInfo;
  /** Stops accepting, ends every forwarded connection and waits for their sessions to close. */
  close(): Promise<void>;
}

/** A local TCP listener forwarding each accepted connection to one pod port. */
export interface PortForwardListenOptions {
  /** Pod port to forward to. */
  port: number;
  /** Local port; 0 (default) picks a free one, read it from `address.port`. */
  localPort?: number | undefined;
  /** Local interface; default 127.0.0.1 so the pod is not exposed to the network. */
  host?: string | undefined;
  /** Called with the failure of one forwarded connection (the listener keeps running). */
  onError?: ((error: Error) => void) | undefined;
}

function validatePorts(ports: readonly number[]): void {
  if (!Array.isArray(ports) || ports.length === 0) throw new RequestValidationError("ports", "give at least one pod port, e.g. { ports: [8080] }");
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RequestValidationError("ports", `${port} is not a port (1-65535)`);
  }
  if (new Set(ports).size !== ports.length) throw new RequestValidationError("ports", `${ports.join(", ")} lists a port twice`);
}

/** The caller's duplex for one port; writes wait for the protocol to say how they reach the pod. */
function forwardedPort(port: number): { forwarded: ForwardedPort; stream: Duplex } {
  const forwarded: ForwardedPort = {
    port,
    errorText: "",
    deliver: (bytes) => {
      if (bytes !== null || !stream.readableEnded) stream.push(bytes);
    },
    fail: (error) => stream.destroy(error),
  };
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      if (!forwarded.write) return callback(new StreamProtocolError("the port-forward session is not open"));
      forwarded.write(chunk).then(() => callback(), callback);
    },
    // The tunnel half-closes the data stream; v4 cannot, and leaves the session open for the answer.
    final(callback) {
      if (!forwarded.end) return callback();
      forwarded.end().then(() => callback(), callback);
    },
    destroy(error, callback) {
      callback(error);
    },
  });
  // Failures still reach readers, pipelines and iterators; without any of those they must not crash the process.
  stream.on("error", () => {});
  return { forwarded, stream };
}

/** v4.channel.k8s.io: per port a data channel (2i) and an error channel (2i+1), each opened by a 2-byte port prefix. */
function channelProtocol(socket: WebSocketSession, ports: readonly ForwardedPort[]): ForwardProtocol {
  const channels = channelSessionOver(socket);
  const prefixSeen = new Set<number>();
  ports.forEach((port, index) => {
    port.write = (chunk) => channels.send(portForwardChannels(index).data, chunk);
  });
  const receive = (bytes: Uint8Array) => {
    const { channel, data } = decodeChannelMessage(bytes);
    const port = ports[Math.floor(channel / 2)];
    if (!port) throw new StreamProtocolError(`message on channel ${channel}, but only ${ports.length} port(s) were requested`);
    let payload = data;
    if (!prefixSeen.has(channel)) {
      const announced = decodePortPrefix(data);
      if (announced.port !== port.port) throw new StreamProtocolError(`channel ${channel} announced port ${announced.port}, expected ${port.port}`);
      prefixSeen.add(channel);
      payload = announced.rest;
    }
    if (payload.length === 0) return;
    if (channel % 2 === 0) port.deliver(Buffer.from(payload));
    else port.errorText += new TextDecoder().decode(payload);
  };
  const ended = (end: SessionEnd) => {
    for (const port of ports) {
      const failure = port.errorText !== "" ? new PortForwardError(port.port, port.errorText) : end.error;
      if (failure) port.fail(failure);
      else port.deliver(null);
    }
  };
  return { receive, ended, ready: Promise.resolve() };
}

/**
 * Opens `pods/portforward` at `path` (no query) for `options.ports`, offering the SPDY tunnel (1.31+) and v4 in one
 * handshake: servers that tunnel pick the former, older ones pass the WebSocket to the kubelet, which picks v4.
 */
export async function openPortForward(rest: RestClient, path: string, options: PortForwardOptions): Promise<PortForwardSession> {
  validatePorts(options.ports);
  const ports = options.ports.map(forwardedPort);
  let protocol: ForwardProtocol | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const forwarded = ports.map((item) => item.forwarded);

  const socket = await openWebSocketSession(rest, { path: path + buildQuery({ ports: options.ports }), protocols: PORT_FORWARD_OFFER, ...(options.signal && { signal: options.signal }) }, {
    opened: (session) => {
      protocol = session.protocol === PORT_FORWARD_TUNNEL_PROTOCOL ? tunnelProtocol(session, forwarded) : channelProtocol(session, forwarded);
    },
    bytes: (data) => protocol!.receive(data),
    ended: (end) => {
      protocol?.ended(end);
      resolveClosed();
    },
  });
  await protocol!.ready.catch((error: Error) => {
    throw new StreamProtocolError(`${socket.url}: could not open the port-forward streams in the SPDY tunnel: ${error.message}`, { cause: error });
  });

  return {
    ports: [...options.ports],
    protocol: socket.protocol,
    stream(port) {
      const item = ports.find((candidate) => candidate.forwarded.port === port);
      if (!item) throw new RequestValidationError("port", `${port} is not forwarded by this session (ports: ${options.ports.join(", ")})`);
      return item.stream;
    },
    closed,
    close: () => socket.close(),
  };
}

/**
 * Listens on a local TCP port and forwards every accepted connection to pod port `options.port`, one
 * WebSocket session per connection (as kubectl does over WebSocket). Closing either side closes the other.
 */
export async function listenPortForward(rest: RestClient, path: string, options: PortForwardListenOptions): Promise<PortForwardListener> {
  validatePorts([options.port]);
  const sessions = new Set<Promise<void>>();
  const sockets = new Set<Socket>();
  const report = (error: Error) => options.onError?.(error);

  const forward = async (socket: Socket) => {
    sockets.add(socket);
    socket.on("error", () => {}); // a reset by the local peer just ends this forward
    let session: PortForwardSession;
    try {
      socket.pause();
      session = await openPortForward(rest, path, { ports: [options.port] });
    } catch (error) {
      report(error as Error);
      socket.destroy();
      sockets.delete(socket);
      return;
    }
    if (socket.destroyed) session.close();
    const remote = session.stream(options.port);
    remote.on("error", (error) => {
      report(error);
      socket.destroy();
    });
    socket.on("close", () => session.close());
    socket.pipe(remote);
    remote.pipe(socket);
    socket.resume();
    await session.closed;
    socket.end();
    sockets.delete(socket);
  };

  const server = createServer((socket) => {
    const done = forward(socket).finally(() => sessions.delete(done));
    sessions.add(done);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.localPort ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });

  return {
    address: server.address() as AddressInfo,
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await Promise.all([stopped, ...sessions]);
    },
  };
}
