import { Duplex } from "node:stream";
import { createServer, type AddressInfo, type Socket } from "node:net";
import type { RestClient } from "../rest/types.js";
import { buildQuery, RequestValidationError } from "../request/index.js";
import { decodePortPrefix, PORT_FORWARD_PROTOCOLS, portForwardChannels } from "./channel-protocol.js";
import { openChannelSession, type ChannelSession } from "./channel-session.js";
import { PortForwardError, StreamProtocolError } from "./errors.js";

/** The pod ports one port-forward session carries. */
export interface PortForwardOptions {
  /** Pod ports to forward, each once. */
  ports: readonly number[];
  /** Closes the session. */
  signal?: AbortSignal;
}

/**
 * One port-forward WebSocket session: one duplex stream per pod port. The WebSocket protocol gives each
 * port a single connection for the session's lifetime (no new streams inside it), so a second connection
 * to the same port needs a new session, which is what `listen` does for every accepted connection.
 */
export interface PortForwardSession {
  readonly ports: readonly number[];
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
  localPort?: number;
  /** Local interface; default 127.0.0.1 so the pod is not exposed to the network. */
  host?: string;
  /** Called with the failure of one forwarded connection (the listener keeps running). */
  onError?: (error: Error) => void;
}

function validatePorts(ports: readonly number[]): void {
  if (!Array.isArray(ports) || ports.length === 0) throw new RequestValidationError("ports", "give at least one pod port, e.g. { ports: [8080] }");
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RequestValidationError("ports", `${port} is not a port (1-65535)`);
  }
  if (new Set(ports).size !== ports.length) throw new RequestValidationError("ports", `${ports.join(", ")} lists a port twice`);
}

interface PortState {
  port: number;
  stream: Duplex;
  dataPrefixSeen: boolean;
  errorPrefixSeen: boolean;
  errorText: string;
}

/** Opens `pods/portforward` at `path` (no query) for `options.ports`. */
export async function openPortForward(rest: RestClient, path: string, options: PortForwardOptions): Promise<PortForwardSession> {
  validatePorts(options.ports);
  const states: PortState[] = [];
  let session: ChannelSession | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  for (const [index, port] of options.ports.entries()) {
    const { data } = portForwardChannels(index);
    const stream = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        if (!session) return callback(new StreamProtocolError("the port-forward session is not open"));
        session.send(data, chunk).then(() => callback(), callback);
      },
      // v4 cannot half-close a channel: ending the writable side leaves the session open for the answer.
      final(callback) {
        callback();
      },
      destroy(error, callback) {
        callback(error);
      },
    });
    // Failures still reach readers, pipelines and iterators; without any of those they must not crash the process.
    stream.on("error", () => {});
    states.push({ port, stream, dataPrefixSeen: false, errorPrefixSeen: false, errorText: "" });
  }

  const onMessage = (channel: number, bytes: Uint8Array) => {
    const state = states[Math.floor(channel / 2)];
    if (!state) throw new StreamProtocolError(`message on channel ${channel}, but only ${states.length} port(s) were requested`);
    const isData = channel % 2 === 0;
    let payload = bytes;
    if (isData ? !state.dataPrefixSeen : !state.errorPrefixSeen) {
      const { port, rest } = decodePortPrefix(bytes);
      if (port !== state.port) throw new StreamProtocolError(`channel ${channel} announced port ${port}, expected ${state.port}`);
      if (isData) state.dataPrefixSeen = true;
      else state.errorPrefixSeen = true;
      payload = rest;
    }
    if (payload.length === 0) return;
    if (isData) state.stream.push(Buffer.from(payload));
    else state.errorText += new TextDecoder().decode(payload);
  };

  session = await openChannelSession(rest, { path: path + buildQuery({ ports: options.ports }), protocols: PORT_FORWARD_PROTOCOLS, ...(options.signal && { signal: options.signal }) }, {
    message: ({ channel, data }) => onMessage(channel, data),
    ended: (end) => {
      for (const state of states) {
        const failure = state.errorText !== "" ? new PortForwardError(state.port, state.errorText) : end.error;
        if (failure) state.stream.destroy(failure);
        else if (!state.stream.readableEnded) state.stream.push(null);
      }
      resolveClosed();
    },
  });
  const open = session;

  return {
    ports: [...options.ports],
    stream(port) {
      const state = states.find((item) => item.port === port);
      if (!state) throw new RequestValidationError("port", `${port} is not forwarded by this session (ports: ${options.ports.join(", ")})`);
      return state.stream;
    },
    closed,
    close: () => open.close(),
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
