import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { ClusterConnection } from "../../../runtime/config/types.js";

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

export interface TestServer {
  url: string;
  port: number;
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

async function listen(server: http.Server | https.Server | net.Server, scheme: string, requests: TestServer["requests"]): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        (server as http.Server).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP server that records requests and answers with `handler`. */
export function startHttpServer(handler: Handler): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  const server = http.createServer((request, response) => {
    requests.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers });
    handler(request, response);
  });
  return listen(server, "http", requests);
}

export function startHttpsServer(options: https.ServerOptions, handler: Handler): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  const server = https.createServer(options, (request, response) => {
    requests.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers });
    handler(request, response);
  });
  return listen(server, "https", requests);
}

/** An HTTP CONNECT proxy that records the targets it tunnelled to; `hosts` maps names only the proxy can resolve to addresses. */
export async function startConnectProxy(options: { hosts?: Record<string, string> } = {}): Promise<TestServer & { connects: string[] }> {
  const connects: string[] = [];
  const server = http.createServer((_request, response) => {
    response.writeHead(405).end();
  });
  const sockets = new Set<net.Socket>();
  server.on("connect", (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push(request.url ?? "");
    const [host, port] = (request.url ?? "").split(":");
    const upstream = net.connect(Number(port), options.hosts?.[host ?? ""] ?? host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream).add(client);
    const end = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on("error", end);
    client.on("error", end);
  });
  const base = await listen(server, "http", []);
  return {
    ...base,
    connects,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await base.close();
    },
  };
}

/** A minimal SOCKS5 proxy (no auth, CONNECT only) that records the targets it connected to. */
export async function startSocks5Proxy(): Promise<{ url: string; connects: string[]; close(): Promise<void> }> {
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    let buffer = Buffer.alloc(0);
    let stage: "greeting" | "request" | "piping" = "greeting";
    client.on("error", () => client.destroy());
    client.on("data", function onData(chunk: Buffer) {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === "greeting") {
        if (buffer.length < 2 || buffer.length < 2 + buffer[1]!) return;
        buffer = buffer.subarray(2 + buffer[1]!);
        client.write(Buffer.from([5, 0]));
        stage = "request";
      }
      if (stage === "request") {
        if (buffer.length < 5) return;
        const type = buffer[3];
        const addressLength = type === 1 ? 4 : type === 4 ? 16 : 1 + buffer[4]!;
        if (buffer.length < 4 + addressLength + 2) return;
        const host =
          type === 1 ? [...buffer.subarray(4, 8)].join(".") : type === 3 ? buffer.subarray(5, 5 + buffer[4]!).toString() : "::1";
        const port = buffer.readUInt16BE(4 + addressLength);
        const rest = buffer.subarray(4 + addressLength + 2);
        stage = "piping";
        client.off("data", onData);
        connects.push(`${host}:${port}`);
        const upstream = net.connect(port, host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          if (rest.length) upstream.write(rest);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        sockets.add(upstream);
        upstream.on("error", () => client.destroy());
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `socks5://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A connection to a test server with no credentials and verified TLS. */
export const connectionTo = (server: string): ClusterConnection => ({
  server,
  tls: { insecureSkipVerify: false },
  credentials: { type: "none" },
  namespace: "default",
  source: "test",
});
