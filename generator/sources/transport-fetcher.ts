import type { DocumentFetcher } from "./fetcher.js";

/**
 * The slice of the runtime's `Transport` the generator needs. Typed structurally so the generator reads
 * documents through exactly the same auth, TLS and retry layers as generated clients do.
 */
export interface DocumentTransport {
  send(request: {
    method: "GET";
    path: string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  }): Promise<{
    statusCode: number;
    headers: Record<string, string | string[] | undefined>;
    body: { text(): Promise<string> };
  }>;
}

/** Reads documents from a live cluster over a runtime transport. */
export function createTransportFetcher(transport: DocumentTransport, origin: string, timeoutMs = 60_000): DocumentFetcher {
  return {
    origin,
    async get(path, accept = "application/json") {
      const response = await transport.send({ method: "GET", path, headers: { accept }, timeoutMs });
      const body = await response.body.text();
      const contentType = firstHeader(response.headers["content-type"]);
      return contentType === undefined
        ? { status: response.statusCode, body }
        : { status: response.statusCode, contentType, body };
    },
  };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
