// The canned server's big answers, written as the client reads them: the scale section's collections (made a
// page at a time, never held whole) and the bursts of the many-watches rows (held back by slow readers).
import type { IncomingMessage, ServerResponse } from "node:http";
import { podManifest, servedPod } from "../fixtures.js";

/** Pods of a scale collection are made this many at a time for a whole-collection answer. */
const SLICE = 500;

/** Whether the client asked for PartialObjectMetadata (client-go's metadata client, lean informers). */
export function wantsMetadataOnly(request: IncomingMessage): boolean {
  return /as=PartialObjectMetadata/.test(String(request.headers.accept ?? ""));
}

/** A pod as a metadata-only answer carries it. */
export function metadataOnly(pod: Record<string, unknown>): Record<string, unknown> {
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: pod.metadata };
}

/** Writes `chunks` one after another, waiting whenever the socket's buffer is full. */
export async function writeAll(response: ServerResponse, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (response.destroyed) return;
    if (!response.write(chunk)) await drained(response);
  }
}

/** Resolves when the socket takes more (or is gone); no listener is left behind. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done);
      response.off("close", done);
      resolve();
    };
    response.on("drain", done);
    response.on("close", done);
  });
}

interface ListRequest {
  namespace: string;
  count: number;
  query: URLSearchParams;
  metadataOnly: boolean;
}

/**
 * A list of a scale collection: one page (`limit`, `continue`) with content-length, or, without `limit`, the
 * whole collection streamed (client-node's informer lists that way: 300 MB for 100,000 pods).
 */
export async function writeList(response: ServerResponse, list: ListRequest): Promise<void> {
  const kind = list.metadataOnly ? { kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1" } : { kind: "PodList", apiVersion: "v1" };
  const limit = Number(list.query.get("limit") ?? "0");
  if (limit > 0) {
    const offset = Number(list.query.get("continue") ?? "0") || 0;
    const end = Math.min(list.count, offset + limit);
    const metadata = end < list.count ? { resourceVersion: "900000", continue: String(end), remainingItemCount: list.count - end } : { resourceVersion: "900000" };
    const body = JSON.stringify({ ...kind, metadata, items: pods(list, offset, end) });
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
    return;
  }
  response.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
  const head = JSON.stringify({ ...kind, metadata: { resourceVersion: "900000" }, items: [] }).slice(0, -2);
  await writeAll(response, slices(list, head));
  response.end();
}

function* slices(list: ListRequest, head: string): Generator<string> {
  yield head;
  for (let start = 0; start < list.count; start += SLICE) {
    const text = pods(list, start, Math.min(list.count, start + SLICE)).map((pod) => JSON.stringify(pod)).join(",");
    yield start === 0 ? text : `,${text}`;
  }
  yield "]}";
}

function pods(list: ListRequest, start: number, end: number): Array<Record<string, unknown>> {
  const items: Array<Record<string, unknown>> = [];
  for (let i = start; i < end; i++) {
    const pod = servedPod(podManifest(`pod-${String(i).padStart(6, "0")}`), list.namespace, 1000 + i);
    items.push(list.metadataOnly ? metadataOnly(pod) : pod);
  }
  return items;
}
