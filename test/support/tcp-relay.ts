import { createConnection, createServer, type Socket } from "node:net";

/** A local TCP proxy in front of a server that a test controls: counts, cuts and pauses connections. */
export interface TcpRelay {
  /** `127.0.0.1:port` the relay listens on. */
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections open now. */
  readonly openConnections: number;
  /** Connections the relay has cut (by `cutAll` or `cutEveryBytes`). */
  readonly cuts: number;
  /** Resets every open connection now (TCP RST to the client, the upstream closed); answers how many. */
  cutAll(): number;
  /** Cuts a connection after it has carried `bytes` from the server to the client; undefined turns it off. */
  cutEveryBytes(bytes: number | undefined): void;
  /** Stops forwarding (both directions, new connections too) until `resume()`. */
  pause(): void;
  resume(): void;
  /** Cuts everything and stops listening. */
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  downstreamBytes: number;
}

/**
 * Starts a relay to `target` on a free loopback port. It forwards raw bytes, so TLS stays end to end: point a
 * client at `https://127.0.0.1:<port>` and the server certificate must be valid for 127.0.0.1.
 */
export async function startTcpRelay(target: { host: string; port: number }): Promise<TcpRelay> {
  const pairs = new Set<Pair>();
  let accepted = 0;
  let cuts = 0;
  let cutAfterBytes: number | undefined;
  let paused = false;

  const cut = (pair: Pair) => {
    if (!pairs.delete(pair)) return;
    cuts++;
    pair.client.resetAndDestroy();
    pair.upstream.destroy();
  };
  const forget = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.destroy();
    pair.upstream.destroy();
  };

  const server = createServer((client) => {
    accepted++;
    const upstream = createConnection({ host: target.host, port: target.port });
    const pair: Pair = { client, upstream, downstreamBytes: 0 };
    pairs.add(pair);
    if (paused) {
      client.pause();
      upstream.pause();
    }
    client.on("data", (chunk: Buffer) => {
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on("drain", () => !paused && client.resume());
    upstream.on("data", (chunk: Buffer) => {
      if (!pairs.has(pair)) return;
      if (cutAfterBytes !== undefined && pair.downstreamBytes + chunk.length >= cutAfterBytes) {
        // Forward part of the chunk first, so the client sees a stream broken mid-way, not at a boundary.
        const keep = Math.max(0, cutAfterBytes - pair.downstreamBytes - 1);
        if (keep > 0) client.write(chunk.subarray(0, keep));
        cut(pair);
        return;
      }
      pair.downstreamBytes += chunk.length;
      if (!client.write(chunk)) upstream.pause();
    });
    client.on("drain", () => !paused && upstream.resume());
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
    client.on("error", () => forget(pair));
    upstream.on("error", () => forget(pair));
    client.on("close", () => forget(pair));
    upstream.on("close", () => forget(pair));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("tcp relay: the server has no TCP address");

  return {
    host: "127.0.0.1",
    port: address.port,
    get connections() {
      return accepted;
    },
    get openConnections() {
      return pairs.size;
    },
    get cuts() {
      return cuts;
    },
    cutAll() {
      const open = [...pairs];
      open.forEach(cut);
      return open.length;
    },
    cutEveryBytes(bytes) {
      cutAfterBytes = bytes;
    },
    pause() {
      paused = true;
      for (const pair of pairs) {
        pair.client.pause();
        pair.upstream.pause();
      }
    },
    resume() {
      paused = false;
      for (const pair of pairs) {
        pair.client.resume();
        pair.upstream.resume();
      }
    },
    async close() {
      for (const pair of [...pairs]) forget(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The host and port of an API server URL, as a relay's target. */
export function targetOf(server: string): { host: string; port: number } {
  const url = new URL(server);
  return { host: url.hostname, port: Number(url.port) };
}
