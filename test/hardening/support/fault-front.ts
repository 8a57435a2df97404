import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { createLocalPki } from "../../../local-cluster/pki.js";

/** An answer the front gives instead of relaying; undefined relays the request to the API server. */
export interface InjectedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}
export type FaultRule = (request: { method: string; path: string }) => InjectedAnswer | undefined;

/**
 * An HTTPS server in front of the real kube-apiserver that can answer requests itself (429, 503) before
 * relaying. A TCP relay cannot put HTTP answers inside TLS, so the front terminates TLS with its own CA
 * (the client verifies it, as it would any server) and relays with the admin token.
 */
export interface FaultFront {
  readonly server: string;
  /** PEM of the CA that signed the front's certificate: give it to the client as its cluster CA. */
  readonly ca: Buffer;
  /** Every request the front received, in order, with what it did. */
  readonly received: ReadonlyArray<{ method: string; path: string; injected?: number }>;
  /** Answers injected so far. */
  readonly injected: number;
  setRule(rule: FaultRule | undefined): void;
  close(): Promise<void>;
}

export async function startFaultFront(options: { pkiDir: string; apiServer: string; apiServerCaFile: string; adminToken: string }): Promise<FaultFront> {
  const pki = await createLocalPki(options.pkiDir);
  const [ca, cert, key, apiServerCa] = await Promise.all([
    readFile(pki.caFile),
    readFile(pki.serving.certFile),
    readFile(pki.serving.keyFile),
    readFile(options.apiServerCaFile),
  ]);
  // Its own pool, closed with the front, so no upstream socket outlives the test.
  const upstream = new Agent({ connect: { ca: apiServerCa }, keepAliveTimeout: 1_000 });
  const received: Array<{ method: string; path: string; injected?: number }> = [];
  let rule: FaultRule | undefined;
  let injected = 0;

  const relay = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = { authorization: `Bearer ${options.adminToken}` };
    for (const name of ["accept", "content-type", "user-agent"]) {
      const value = request.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const answer = await upstream.request({
      origin: options.apiServer,
      path: request.url ?? "/",
      method: request.method as "GET",
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : null,
    });
    const contentType = answer.headers["content-type"];
    response.writeHead(answer.statusCode, typeof contentType === "string" ? { "content-type": contentType } : {});
    for await (const chunk of answer.body) response.write(chunk);
    response.end();
  };

  const server: Server = createServer({ cert, key }, (request, response) => {
    const method = request.method ?? "GET";
    const path = request.url ?? "/";
    const answer = rule?.({ method, path });
    if (answer) {
      injected++;
      received.push({ method, path, injected: answer.status });
      request.resume();
      const body = answer.body === undefined ? "" : JSON.stringify(answer.body);
      response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(body);
      return;
    }
    received.push({ method, path });
    relay(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end(`fault front: relaying ${method} ${path} failed: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    server: `https://127.0.0.1:${port}`,
    ca,
    received,
    get injected() {
      return injected;
    },
    setRule(next) {
      rule = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await upstream.close();
    },
  };
}
