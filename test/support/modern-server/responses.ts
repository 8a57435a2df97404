import type { ServerResponse } from "node:http";

/** A `metav1.Status` failure, as every API server error body is. */
export function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details: {}, code });
}

export function sendStatus(response: ServerResponse, code: number, reason: string, message: string): void {
  send(response, code, "application/json", statusBody(code, reason, message));
}

export function send(response: ServerResponse, code: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(code, {
    // The API server's WithCacheControl filter: everything is private unless a handler says otherwise.
    "Cache-Control": "no-cache, private",
    "Content-Type": contentType,
    "Content-Length": String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(body);
}
