import { createConnection, createServer, type Server, type Socket } from "node:net";

/**
 * What the relay does to one connection, counted in bytes the server sent to the client. TLS stays end to
 * end, so faults land at byte offsets, not at HTTP boundaries.
 */
export type ConnectionFault =
  /** FIN to the client after `afterBytes` (a clean close mid-body: a chunked answer without its last chunk). */
  | { kind: "end"; afterBytes: number }
  /** TCP RST to the client after `afterBytes`. */
  | { kind: "reset"; afterBytes: number }
  /** After `afterBytes`, forward one byte per `intervalMs` (a slowloris server). */
  | { kind: "trickle"; afterBytes: number; intervalMs: number }
  /** After `afterBytes`, forward nothing more, close nothing (a half-open socket). */
  | { kind: "stall"; afterBytes: number };

/** A loopback TCP relay whose faults are planned per connection, and that can "restart" its server. */
export interface FaultRelay {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  readonly openConnections: number;
  /** Faults that have fired (a planned fault counts once its byte offset is reached). */
  readonly faultsFired: number;
  /** Server→client bytes of each accepted connection, in order. */
  readonly downstreamBytes: readonly number[];
  /** The next connections get these faults, one each, in order; later ones get none. */
  planFaults(...faults: ConnectionFault[]): void;
  /** Every connection from now on gets this fault (undefined: none); planned faults go first. */
  faultEveryConnection(fault: ConnectionFault | undefined): void;
  /** A server restart: drops every connection, refuses new ones for `downMs`, then listens on the same port again. */
  restart(downMs: number): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  index: number;
  fault: ConnectionFault | undefined;
  fired: boolean;
  trickle: Buffer[];
  timer?: NodeJS.Timeout;
}

export async function startFaultRelay(target: { host: string; port: number }): Promise<FaultRelay> {
  const pairs = new Set<Pair>();
  const downstream: number[] = [];
  const planned: ConnectionFault[] = [];
  let everyConnection: ConnectionFault | undefined;
  let fired = 0;
  let server: Server;

  const drop = (pair: Pair, reset: boolean) => {
    pairs.delete(pair);
    clearInterval(pair.timer);
    if (reset) pair.client.resetAndDestroy();
    else pair.client.destroy();
    pair.upstream.destroy();
  };

  /** Forwards `chunk` unless the connection's fault starts inside it. */
  const forward = (pair: Pair, chunk: Buffer) => {
    const sent = downstream[pair.index]!;
    const fault = pair.fault;
    if (pair.fired || !fault || sent + chunk.length < fault.afterBytes) {
      if (pair.fired && fault?.kind === "trickle") return void pair.trickle.push(chunk);
      if (pair.fired && fault?.kind === "stall") return; // swallowed: the client never hears of it
      downstream[pair.index] = sent + chunk.length;
      pair.client.write(chunk);
      return;
    }
    const keep = Math.max(0, fault.afterBytes - sent);
    if (keep > 0) pair.client.write(chunk.subarray(0, keep));
    downstream[pair.index] = sent + keep;
    pair.fired = true;
    fired++;
    const rest = chunk.subarray(keep);
    switch (fault.kind) {
      case "end":
        pairs.delete(pair);
        pair.upstream.destroy();
        pair.client.end(); // FIN, no RST: looks like a server that closed cleanly
        return;
      case "reset":
        return drop(pair, true);
      case "stall":
        return;
      case "trickle":
        pair.trickle.push(rest);
        pair.timer = setInterval(() => {
          const head = pair.trickle[0];
          if (!head) return;
          pair.client.write(head.subarray(0, 1));
          downstream[pair.index]!++;
          if (head.length > 1) pair.trickle[0] = head.subarray(1);
          else pair.trickle.shift();
        }, fault.intervalMs);
        return;
    }
  };

  const onConnection = (client: Socket) => {
    const upstream = createConnection({ host: target.host, port: target.port });
    const pair: Pair = { client, upstream, index: downstream.length, fault: planned.shift() ?? everyConnection, fired: false, trickle: [] };
    downstream.push(0);
    pairs.add(pair);
    client.on("data", (chunk: Buffer) => upstream.write(chunk));
    upstream.on("data", (chunk: Buffer) => pairs.has(pair) && forward(pair, chunk));
    client.on("end", () => upstream.end());
    upstream.on("end", () => pairs.has(pair) && !pair.fired && client.end());
    for (const socket of [client, upstream]) {
      socket.on("error", () => drop(pair, false));
      socket.on("close", () => drop(pair, false));
    }
  };

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server = createServer(onConnection);
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const address = server.address();
        if (address === null || typeof address === "string") return reject(new Error("fault relay: the server has no TCP address"));
        resolve(address.port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const pair of [...pairs]) drop(pair, true);
      server.close(() => resolve());
    });
  const port = await listen(0);

  return {
    port,
    get connections() {
      return downstream.length;
    },
    get openConnections() {
      return pairs.size;
    },
    get faultsFired() {
      return fired;
    },
    get downstreamBytes() {
      return downstream;
    },
    planFaults(...faults) {
      planned.push(...faults);
    },
    faultEveryConnection(fault) {
      everyConnection = fault;
    },
    async restart(downMs) {
      await stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await listen(port);
    },
    close: stop,
  };
}
