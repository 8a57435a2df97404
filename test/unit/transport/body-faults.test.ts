import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { NetworkError, TimeoutError } from "../../../runtime/transport/errors.js";
import { createTransport } from "../../../runtime/transport/transport.js";
import type { Transport } from "../../../runtime/transport/types.js";
import { connectionTo, startHttpServer } from "./servers.js";

// Faults after the headers (reset, clean close mid-chunk, trickle) and before them (a stalled TLS handshake):
// each must reach the caller as a typed error within the request's timeout.


const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
function transportFor(server: string, timeoutMs: number): Transport {
  const transport = createTransport(connectionTo(server), { timeoutMs, maxRetries: 0 });
  cleanups.push(() => transport.close());
  return transport;
}
async function serve(handler: Parameters<typeof startHttpServer>[0]) {
  const server = await startHttpServer(handler);
  cleanups.unshift(() => server.close()); // closed after the transport
  return server;
}
async function failure(read: Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = Date.now();
  const error = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, elapsedMs: Date.now() - started };
}

describe("faults while a body is read", () => {
  it("a connection reset mid-body rejects text() with a NetworkError naming the server", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"items":[' + "1,".repeat(10_000));
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
    });
    const response = await transportFor(server.url, 2_000).send({ method: "GET", path: "/list" });
    const { error } = await failure(response.body.text());
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect((error as NetworkError).server).toBe(server.url);
  });

  it("a chunked body closed cleanly mid-chunk is a NetworkError, never a short success", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }); // no content-length: chunked
      res.write('{"items":[1,2,3');
      setTimeout(() => res.socket?.end(), 20); // FIN without the terminating chunk
    });
    const response = await transportFor(server.url, 2_000).send({ method: "GET", path: "/list" });
    expect(response.headers["transfer-encoding"]).toBe("chunked");
    const { error } = await failure(response.body.text());
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe("UND_ERR_SOCKET");
  });

  it("also types errors seen while iterating a streaming body", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      res.write("event\n");
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
    });
    const response = await transportFor(server.url, 2_000).send({ method: "GET", path: "/watch", streaming: true });
    const chunks: Uint8Array[] = [];
    const { error } = await failure((async () => {
      for await (const chunk of response.body) chunks.push(chunk);
    })());
    expect(chunks.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(NetworkError);
  });

  it("a server trickling its body one byte at a time cannot hold a request past its timeout", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write("x"), 10);
      res.on("close", () => clearInterval(timer));
    });
    const response = await transportFor(server.url, 300).send({ method: "GET", path: "/slowloris" });
    const { error, elapsedMs } = await failure(response.body.text());
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(300);
    expect(elapsedMs).toBeLessThan(1_000);
  });

  it("a body read in time keeps its content and its deadline does not fire later", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end("complete"));
    const transport = transportFor(server.url, 200);
    const response = await transport.send({ method: "GET", path: "/ok" });
    expect(await response.body.text()).toBe("complete");
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the deadline: nothing may be aborted
    const again = await transport.send({ method: "GET", path: "/ok" });
    expect(await again.body.text()).toBe("complete");
  });
});

describe("faults before the headers", () => {
  it("a TLS handshake that never completes (half-open server) fails with a TimeoutError within the timeout", async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket)); // accepts, never answers the ClientHello
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    cleanups.unshift(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const { port } = silent.address() as net.AddressInfo;
    const transport = transportFor(`https://127.0.0.1:${port}`, 300);
    const { error, elapsedMs } = await failure(transport.send({ method: "GET", path: "/api" }));
    expect(error).toBeInstanceOf(TimeoutError);
    // undici itself would wait for its 10 s connect timeout before noticing the abort.
    expect(elapsedMs).toBeLessThan(1_500);
    // The abandoned connect is bounded by the same timeout, so closing the client does not wait 10 s for it.
    const closing = Date.now();
    await transport.close();
    expect(Date.now() - closing).toBeLessThan(1_500);
  });
});
