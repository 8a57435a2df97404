import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { createServer } from "node:net";

/** How a probe proves who it is; files are read per call so rotated certificates are picked up. */
export interface ProbeCredentials {
  caFile?: string;
  token?: string;
  certFile?: string;
  keyFile?: string;
}

export interface ProbeResponse {
  status: number;
  body: string;
}

/**
 * A minimal HTTP(S) request with node's own client: the control plane must not depend on the
 * runtime it is used to test.
 */
export function probe(
  url: string,
  credentials: ProbeCredentials = {},
  options: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<ProbeResponse> {
  const target = new URL(url);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { accept: "application/json" };
  if (credentials.token) headers.authorization = `Bearer ${credentials.token}`;
  if (payload !== undefined) headers["content-type"] = "application/json";
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolveResponse, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? "GET",
        headers,
        timeout: options.timeoutMs ?? 5_000,
        ...(target.protocol === "https:"
          ? {
              ca: credentials.caFile ? readFileSync(credentials.caFile) : undefined,
              cert: credentials.certFile ? readFileSync(credentials.certFile) : undefined,
              key: credentials.keyFile ? readFileSync(credentials.keyFile) : undefined,
              rejectUnauthorized: true,
              agent: false,
            }
          : { agent: false }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolveResponse({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? 5_000} ms`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** `count` distinct free TCP ports on 127.0.0.1 (held open together so they differ). */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<ReturnType<typeof createServer>>((resolveListen, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolveListen(server));
      });
    }),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("cannot read a listening port");
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}
