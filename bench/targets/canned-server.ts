// The "client overhead only" target: an in-process HTTPS server answering canned Kubernetes JSON for pods.
// Bodies are serialized once up front, so the server's own cost per request is a map lookup and a write.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import { podManifest, servedPod, type PodManifest } from "../fixtures.js";
import { NAMESPACES, WATCH_POD } from "../plan.js";

export interface CannedServerOptions {
  certFile: string;
  keyFile: string;
  listSize: number;
  bigCount: number;
  watchEvents: number;
}

export interface CannedServer {
  url: string;
  close(): Promise<void>;
}

const PODS_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?$/;

/** Starts the server on a free loopback port. */
export async function startCannedServer(options: CannedServerOptions): Promise<CannedServer> {
  const collections = new Map<string, Array<Record<string, unknown>>>([
    [NAMESPACES.read, makeCollection(NAMESPACES.read, options.listSize)],
    [NAMESPACES.big, makeCollection(NAMESPACES.big, options.bigCount)],
    [NAMESPACES.watch, [servedPod(podManifest(WATCH_POD), NAMESPACES.watch, 1)]],
  ]);
  const singleBodies = new Map<string, string>();
  const pageBodies = new Map<string, string>();
  const watchBurst = makeWatchBurst(options.watchEvents);
  let nextVersion = 1_000_000;
  const open = new Set<ServerResponse>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "https://canned");
    const match = PODS_PATH.exec(url.pathname);
    if (!match) return sendJson(response, 404, notFound(url.pathname));
    const namespace = decodeURIComponent(match[1]!);
    const name = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    if (request.method === "GET" && name !== undefined) {
      const key = `${namespace}/${name}`;
      let body = singleBodies.get(key);
      if (body === undefined) {
        const found = collections.get(namespace)?.find((pod) => (pod.metadata as { name: string }).name === name);
        if (!found) return sendJson(response, 404, notFound(url.pathname));
        body = JSON.stringify(found);
        singleBodies.set(key, body);
      }
      return send(response, 200, body);
    }
    if (request.method === "GET" && (url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1")) {
      open.add(response);
      response.on("close", () => open.delete(response));
      response.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
      response.flushHeaders(); // as the API server does: clients wait for the headers before they call the watch started
      // The watch namespace gets its burst (after the synthetic ADDED of a watch without resourceVersion);
      // elsewhere nothing changes and the stream stays open, as an informer's watch would.
      if (namespace !== NAMESPACES.watch) return;
      if (!url.searchParams.get("resourceVersion")) for (const item of collections.get(namespace) ?? []) response.write(`${JSON.stringify({ type: "ADDED", object: item })}\n`);
      for (const chunk of watchBurst) response.write(chunk);
      return;
    }
    if (request.method === "GET") {
      const items = collections.get(namespace) ?? [];
      const limit = Number(url.searchParams.get("limit") ?? "0") || items.length;
      const offset = Number(url.searchParams.get("continue") ?? "0") || 0;
      const key = `${namespace}:${limit}:${offset}`;
      let body = pageBodies.get(key);
      if (body === undefined) {
        const end = Math.min(items.length, offset + limit);
        const metadata = end < items.length ? { resourceVersion: "900000", continue: String(end), remainingItemCount: items.length - end } : { resourceVersion: "900000" };
        body = JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata, items: items.slice(offset, end) });
        pageBodies.set(key, body);
      }
      return send(response, 200, body);
    }
    if (request.method === "POST" || request.method === "PATCH" || request.method === "PUT") {
      const manifest = JSON.parse(await readBody(request)) as PodManifest;
      const served = JSON.stringify(servedPod(manifest, namespace, nextVersion++));
      return send(response, request.method === "POST" ? 201 : 200, served);
    }
    if (request.method === "DELETE") {
      await readBody(request);
      return sendJson(response, 200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" });
    }
    return sendJson(response, 405, { kind: "Status", apiVersion: "v1", status: "Failure", code: 405, reason: "MethodNotAllowed" });
  };

  const [cert, key] = await Promise.all([readFile(options.certFile), readFile(options.keyFile)]);
  const server: Server = createServer({ cert, key }, (request, response) => {
    handle(request, response).catch((error: unknown) => sendJson(response, 500, { kind: "Status", status: "Failure", code: 500, message: String(error) }));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("canned server: no TCP address after listen");
  return {
    url: `https://127.0.0.1:${address.port}`,
    close: async () => {
      for (const response of open) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function makeCollection(namespace: string, count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => servedPod(podManifest(`pod-${String(i).padStart(5, "0")}`), namespace, 1000 + i));
}

/** N MODIFIED events of the burst target, in chunks the size the API server flushes. */
function makeWatchBurst(events: number): string[] {
  const chunks: string[] = [];
  let chunk = "";
  for (let i = 1; i <= events; i++) {
    chunk += `${JSON.stringify({ type: "MODIFIED", object: servedPod(podManifest(WATCH_POD, String(i)), NAMESPACES.watch, 2000 + i) })}\n`;
    if (i % 16 === 0 || i === events) {
      chunks.push(chunk);
      chunk = "";
    }
  }
  return chunks;
}

function notFound(path: string) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `${path} not found`, reason: "NotFound", code: 404 };
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, JSON.stringify(value));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

