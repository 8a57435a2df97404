// The "client overhead only" target: an in-process HTTPS server answering canned Kubernetes JSON for pods.
// Bodies are serialized once up front, so the server's own cost per request is a map lookup and a write.
// The scale section's collections (up to 100,000 pods) are made a page at a time as they are listed instead.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import { podManifest, servedPod, type PodManifest } from "../fixtures.js";
import { NAMESPACES, scaleNamespace, WATCH_POD } from "../plan.js";
import { metadataOnly, wantsMetadataOnly, writeAll, writeList } from "./streamed.js";

export interface CannedServerOptions {
  certFile: string;
  keyFile: string;
  listSize: number;
  bigCount: number;
  watchEvents: number;
  /** Sizes of the scale section's collections (namespace `bench-scale-<n>`, pods made as they are listed). */
  scaleCounts?: number[];
  /** Changes each watch of `bench-watch-many` sees when `POST /bench/watch-burst` releases them. */
  manyWatchEvents?: number;
}

export interface CannedServer {
  url: string;
  close(): Promise<void>;
}

const PODS_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?$/;
/** Not Kubernetes: releases the burst to every watch of a namespace that waits for it (the many-watches rows). */
const BURST_PATH = "/bench/watch-burst";

/** What the handlers share: the canned collections and bodies, and the open watches. */
interface CannedState {
  collections: Map<string, Array<Record<string, unknown>>>;
  scaleCounts: Map<string, number>;
  bursts: { single: string[]; many: string[] };
  singleBodies: Map<string, string>;
  pageBodies: Map<string, string>;
  /** Watches of the many-watches namespace waiting for their burst. */
  waiting: Set<ServerResponse>;
  open: Set<ServerResponse>;
  nextVersion: number;
}

/** Starts the server on a free loopback port. */
export async function startCannedServer(options: CannedServerOptions): Promise<CannedServer> {
  const state: CannedState = {
    collections: new Map([
      [NAMESPACES.read, makeCollection(NAMESPACES.read, options.listSize)],
      [NAMESPACES.big, makeCollection(NAMESPACES.big, options.bigCount)],
      [NAMESPACES.watch, [servedPod(podManifest(WATCH_POD), NAMESPACES.watch, 1)]],
      [NAMESPACES.manyWatches, [servedPod(podManifest(WATCH_POD), NAMESPACES.manyWatches, 1)]],
    ]),
    scaleCounts: new Map((options.scaleCounts ?? []).map((count) => [scaleNamespace(count), count])),
    bursts: { single: makeWatchBurst(options.watchEvents, NAMESPACES.watch), many: makeWatchBurst(options.manyWatchEvents ?? 0, NAMESPACES.manyWatches) },
    singleBodies: new Map(),
    pageBodies: new Map(),
    waiting: new Set(),
    open: new Set(),
    nextVersion: 1_000_000,
  };
  const [cert, key] = await Promise.all([readFile(options.certFile), readFile(options.keyFile)]);
  const server: Server = createServer({ cert, key }, (request, response) => {
    handle(state, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { kind: "Status", status: "Failure", code: 500, message: String(error) });
      else response.destroy(error as Error);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("canned server: no TCP address after listen");
  return {
    url: `https://127.0.0.1:${address.port}`,
    close: async () => {
      for (const response of state.open) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(state: CannedState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "https://canned");
  if (request.method === "POST" && url.pathname === BURST_PATH) {
    const released = [...state.waiting];
    state.waiting.clear();
    sendJson(response, 200, { watches: released.length });
    await Promise.all(released.map((watch) => writeAll(watch, state.bursts.many)));
    return;
  }
  const match = PODS_PATH.exec(url.pathname);
  if (!match) return sendJson(response, 404, notFound(url.pathname));
  const namespace = decodeURIComponent(match[1]!);
  const name = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  if (request.method === "GET" && name !== undefined) return getOne(state, response, namespace, name, url.pathname);
  if (request.method === "GET" && (url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1")) return watch(state, response, namespace, url);
  const scaleCount = state.scaleCounts.get(namespace);
  if (request.method === "GET" && scaleCount !== undefined) return writeList(response, { namespace, count: scaleCount, query: url.searchParams, metadataOnly: wantsMetadataOnly(request) });
  if (request.method === "GET") return list(state, request, response, namespace, url);
  if (request.method === "POST" || request.method === "PATCH" || request.method === "PUT") {
    const manifest = JSON.parse(await readBody(request)) as PodManifest;
    const served = JSON.stringify(servedPod(manifest, namespace, state.nextVersion++));
    return send(response, request.method === "POST" ? 201 : 200, served);
  }
  if (request.method === "DELETE") {
    await readBody(request);
    return sendJson(response, 200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" });
  }
  return sendJson(response, 405, { kind: "Status", apiVersion: "v1", status: "Failure", code: 405, reason: "MethodNotAllowed" });
}

function getOne(state: CannedState, response: ServerResponse, namespace: string, name: string, path: string): void {
  const key = `${namespace}/${name}`;
  let body = state.singleBodies.get(key);
  if (body === undefined) {
    const found = state.collections.get(namespace)?.find((pod) => (pod.metadata as { name: string }).name === name);
    if (!found) return sendJson(response, 404, notFound(path));
    body = JSON.stringify(found);
    state.singleBodies.set(key, body);
  }
  send(response, 200, body);
}

/**
 * A watch: the watch namespaces get their burst (after the synthetic ADDED of a watch without
 * resourceVersion), at once or when `POST /bench/watch-burst` releases it; elsewhere nothing changes and the
 * stream stays open, as an informer's watch would.
 */
function watch(state: CannedState, response: ServerResponse, namespace: string, url: URL): void {
  // Serves no streaming lists: refused as kube-apiserver 1.20 refuses them, so informers list in pages here.
  if (url.searchParams.has("sendInitialEvents")) {
    return sendJson(response, 422, { kind: "Status", apiVersion: "v1", status: "Failure", code: 422, reason: "Invalid", message: "resourceVersionMatch is forbidden for watch" });
  }
  state.open.add(response);
  response.on("close", () => {
    state.open.delete(response);
    state.waiting.delete(response);
  });
  response.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
  response.flushHeaders(); // as the API server does: clients wait for the headers before they call the watch started
  if (namespace !== NAMESPACES.watch && namespace !== NAMESPACES.manyWatches) return;
  if (!url.searchParams.get("resourceVersion")) for (const item of state.collections.get(namespace) ?? []) response.write(`${JSON.stringify({ type: "ADDED", object: item })}\n`);
  if (namespace === NAMESPACES.watch) for (const chunk of state.bursts.single) response.write(chunk);
  else state.waiting.add(response);
}

function list(state: CannedState, request: IncomingMessage, response: ServerResponse, namespace: string, url: URL): void {
  const items = state.collections.get(namespace) ?? [];
  const limit = Number(url.searchParams.get("limit") ?? "0") || items.length;
  const offset = Number(url.searchParams.get("continue") ?? "0") || 0;
  const partial = wantsMetadataOnly(request);
  const key = `${namespace}:${limit}:${offset}:${partial}`;
  let body = state.pageBodies.get(key);
  if (body === undefined) {
    const end = Math.min(items.length, offset + limit);
    const metadata = end < items.length ? { resourceVersion: "900000", continue: String(end), remainingItemCount: items.length - end } : { resourceVersion: "900000" };
    const page = items.slice(offset, end);
    body = JSON.stringify(partial ? { kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1", metadata, items: page.map(metadataOnly) } : { kind: "PodList", apiVersion: "v1", metadata, items: page });
    state.pageBodies.set(key, body);
  }
  send(response, 200, body);
}

function makeCollection(namespace: string, count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => servedPod(podManifest(`pod-${String(i).padStart(5, "0")}`), namespace, 1000 + i));
}

/** N MODIFIED events of the burst target, in chunks the size the API server flushes. */
function makeWatchBurst(events: number, namespace: string): string[] {
  const chunks: string[] = [];
  let chunk = "";
  for (let i = 1; i <= events; i++) {
    chunk += `${JSON.stringify({ type: "MODIFIED", object: servedPod(podManifest(WATCH_POD, String(i)), namespace, 2000 + i) })}\n`;
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
