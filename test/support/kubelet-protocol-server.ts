import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { acceptKey, ServerWebSocket } from "./websocket-frames.js";

/**
 * What a kube-apiserver with a kubelet behind it answers for `pods/log`, `pods/exec`, `pods/attach` and
 * `pods/portforward`: HTTPS, bearer token required, the WebSocket channel protocol (v5/v4) as apimachinery's
 * wsstream and the kubelet speak it. Written from the protocol definitions, independently of runtime/stream.
 *
 * The "pod" runs fake commands: `echo ARGS...`, `cat` (stdin to stdout until stdin closes), `fail CODE TEXT`
 * (TEXT on stderr, exit CODE), `resize-report N` (reports N resizes on stdout, then exits), `crash` (drops the
 * connection without a close frame or status), `garbage` (an empty message, which no channel can carry). Attach echoes
 * stdin upper-cased. Port-forward: 8080 echoes, 9090 upper-cases, 7777 refuses (error channel).
 */

const V5 = "v5.channel.k8s.io";
const V4 = "v4.channel.k8s.io";
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

export const LOG_LINES = ["starting", "listening on :8080", "ready"] as const;
/** The pod that exists; every other name is NotFound. */
export const POD = { namespace: "streams", name: "web" } as const;
/** A pod with two containers: logs need `container`. */
export const MULTI_CONTAINER_POD = "multi";

export interface RecordedRequest {
  kind: "log" | "exec" | "attach" | "portforward";
  query: URLSearchParams;
  /** The subprotocol chosen for WebSocket requests. */
  protocol?: string;
}

export interface KubeletProtocolServerOptions {
  cert: Buffer;
  key: Buffer;
  token: string;
  /** Subprotocols the server accepts for exec/attach, in its own order; default v5, v4. */
  execProtocols?: readonly string[];
}

export interface KubeletProtocolServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Every resize the server received, in order. */
  readonly resizes: Array<{ Width: number; Height: number }>;
  /** Change what exec/attach accept (to test the v4 fallback). */
  execProtocols: readonly string[];
  close(): Promise<void>;
}

function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });
}

export async function startKubeletProtocolServer(options: KubeletProtocolServerOptions): Promise<KubeletProtocolServer> {
  const requests: RecordedRequest[] = [];
  const resizes: Array<{ Width: number; Height: number }> = [];
  const sockets = new Set<Duplex>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { execProtocols: options.execProtocols ?? [V5, V4] };

  const server: Server = createServer({ cert: options.cert, key: options.key });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const route = (request: IncomingMessage) => {
    const url = new URL(request.url ?? "/", "https://localhost");
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(log|exec|attach|portforward)$/.exec(url.pathname);
    return { url, match };
  };
  const authorized = (request: IncomingMessage) => request.headers.authorization === `Bearer ${options.token}`;

  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const { url, match } = route(request);
    const reply = (code: number, body: string, type = "application/json") => {
      response.writeHead(code, { "content-type": type });
      response.end(body);
    };
    if (!authorized(request)) return reply(401, statusBody(401, "Unauthorized", "Unauthorized"));
    if (!match || match[3] !== "log") return reply(404, statusBody(404, "NotFound", `the server could not find the requested resource (${url.pathname})`));
    const [, namespace, pod] = match;
    requests.push({ kind: "log", query: url.searchParams });
    if (pod === MULTI_CONTAINER_POD && !url.searchParams.has("container")) {
      return reply(400, statusBody(400, "BadRequest", `a container name must be specified for pod ${pod}, choose one of: [app sidecar]`));
    }
    if (namespace !== POD.namespace || (pod !== POD.name && pod !== MULTI_CONTAINER_POD)) return reply(404, statusBody(404, "NotFound", `pods "${pod}" not found`));
    serveLog(url.searchParams, response, timers);
  });

  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    const { match } = route(request);
    const refuse = (code: number, reason: string, body: string) => {
      socket.end(`HTTP/1.1 ${code} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    };
    if (!authorized(request)) return refuse(401, "Unauthorized", statusBody(401, "Unauthorized", "Unauthorized"));
    if (!match || match[3] === "log") return refuse(404, "Not Found", statusBody(404, "NotFound", "not found"));
    const [, namespace, pod, kind] = match as unknown as [string, string, string, "exec" | "attach" | "portforward"];
    if (namespace !== POD.namespace || pod !== POD.name) return refuse(404, "Not Found", statusBody(404, "NotFound", `pods "${pod}" not found`));
    if (request.headers.upgrade?.toLowerCase() !== "websocket" || !request.headers["sec-websocket-key"]) {
      return refuse(400, "Bad Request", statusBody(400, "BadRequest", "expected a WebSocket upgrade"));
    }
    const offered = (request.headers["sec-websocket-protocol"] ?? "").split(",").map((item) => item.trim()).filter(Boolean);
    const accepted = kind === "portforward" ? [V4] : state.execProtocols;
    // Like golang.org/x/net/websocket's handshake: the first protocol the client offers that the server accepts.
    const protocol = offered.find((item) => accepted.includes(item));
    if (!protocol) return refuse(400, "Bad Request", statusBody(400, "BadRequest", `requested protocol(s) are not supported: ${offered.join(", ")}`));
    socket.write(
      [
        "HTTP/1.1 101 Switching Protocols",
        "Upgrade: websocket",
        "Connection: Upgrade",
        `Sec-WebSocket-Accept: ${acceptKey(request.headers["sec-websocket-key"])}`,
        `Sec-WebSocket-Protocol: ${protocol}`,
        "",
        "",
      ].join("\r\n"),
    );
    const url = new URL(request.url ?? "/", "https://localhost");
    requests.push({ kind, query: url.searchParams, protocol });
    if (head.length > 0) socket.unshift(head);
    const ws = new ServerWebSocket(socket, protocol);
    if (kind === "portforward") servePortForward(ws, url.searchParams);
    else serveProcess(ws, kind, url.searchParams, resizes);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    resizes,
    get execProtocols() {
      return state.execProtocols;
    },
    set execProtocols(value) {
      state.execProtocols = value;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Logs as the kubelet serves them: tailLines, timestamps, limitBytes, previous, follow (a line every 20 ms). */
function serveLog(query: URLSearchParams, response: ServerResponse, timers: Set<NodeJS.Timeout>): void {
  const stamp = (index: number, line: string) => (query.get("timestamps") === "true" ? `2024-05-01T10:00:0${index}.000000000Z ${line}` : line);
  let lines = query.get("previous") === "true" ? ["previous instance crashed"] : [...LOG_LINES];
  const tail = query.get("tailLines");
  if (tail !== null) lines = lines.slice(Math.max(0, lines.length - Number(tail)));
  let text = lines.map((line, index) => `${stamp(index, line)}\n`).join("");
  const limit = query.get("limitBytes");
  if (limit !== null) text = text.slice(0, Number(limit));
  response.writeHead(200, { "content-type": "text/plain", "transfer-encoding": "chunked" });
  if (query.get("follow") !== "true") {
    response.end(text);
    return;
  }
  // Follow: what is there, then a new line every 20 ms until the client goes away.
  response.write(text);
  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
    // "tick 1" split across two writes: the client must join partial lines.
    response.write(`tick `);
    response.write(`${tick}\n`);
  }, 20);
  timers.add(timer);
  response.on("close", () => {
    clearInterval(timer);
    timers.delete(timer);
  });
}

function message(channel: number, data: string | Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(channel), Buffer.from(data)]);
}

/** The v4/v5 exit status on the error channel, as the kubelet writes it. */
function exitStatus(code: number): string {
  if (code === 0) return JSON.stringify({ metadata: {}, status: "Success" });
  return JSON.stringify({
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: error executing command, exit status ${code}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(code) }] },
  });
}

function serveProcess(ws: ServerWebSocket, kind: "exec" | "attach", query: URLSearchParams, resizes: Array<{ Width: number; Height: number }>): void {
  const tty = query.get("tty") === "true";
  const wants = (stream: string) => query.get(stream) === "true";
  const out = (text: string) => wants("stdout") && ws.send(message(STDOUT, text));
  const err = (text: string) => {
    if (tty) out(text);
    else if (wants("stderr")) ws.send(message(STDERR, text));
  };
  const finish = (code: number) => {
    ws.send(message(ERROR, exitStatus(code)));
    ws.close(1000);
  };
  const command = kind === "attach" ? ["attach"] : query.getAll("command");
  let resizesLeft = command[0] === "resize-report" ? Number(command[1]) : 0;

  ws.onMessage((data) => {
    const channel = data[0];
    const payload = data.subarray(1);
    if (channel === CLOSE && ws.protocol === V5) {
      if (payload[0] === STDIN && (command[0] === "cat" || command[0] === "attach")) finish(0);
      return;
    }
    if (channel === RESIZE) {
      const size = JSON.parse(payload.toString("utf8")) as { Width: number; Height: number };
      resizes.push(size);
      if (command[0] === "resize-report") {
        out(`${size.Width}x${size.Height}\n`);
        if (--resizesLeft === 0) finish(0);
      }
      return;
    }
    if (channel === STDIN) {
      if (command[0] === "cat") out(payload.toString("utf8"));
      if (command[0] === "attach") out(payload.toString("utf8").toUpperCase());
    }
  });

  switch (command[0]) {
    case "echo":
      out(`${command.slice(1).join(" ")}\n`);
      return finish(0);
    case "fail":
      err(`${command.slice(2).join(" ")}\n`);
      return finish(Number(command[1]));
    case "cat":
    case "resize-report":
      return;
    case "garbage":
      ws.send(Buffer.alloc(0)); // a message without its channel byte
      return;
    case "crash":
      out("partial\n");
      setImmediate(() => ws.terminate());
      return;
    case "attach":
      err("attached\n");
      return;
    default:
      ws.send(
        message(
          ERROR,
          JSON.stringify({ metadata: {}, status: "Failure", reason: "InternalError", code: 500, message: `exec: "${command[0]}": executable file not found in $PATH` }),
        ),
      );
      ws.close(1000);
  }
}

/** The kubelet's WebSocket port-forward: channels 2i (data) and 2i+1 (error) per port, each opened with the port (uint16 LE). */
function servePortForward(ws: ServerWebSocket, query: URLSearchParams): void {
  const ports = query.getAll("ports").flatMap((item) => item.split(",")).map(Number);
  ports.forEach((port, index) => {
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16LE(port, 0);
    ws.send(message(index * 2, prefix));
    ws.send(message(index * 2 + 1, prefix));
    if (port === 7777) ws.send(message(index * 2 + 1, `error forwarding port ${port} to pod web: dial tcp4 127.0.0.1:${port}: connect: connection refused`));
  });
  if (ports.length === 1 && ports[0] === 7777) ws.close(1000);
  ws.onMessage((data) => {
    const channel = data[0]!;
    const port = ports[channel / 2];
    if (channel % 2 !== 0 || port === undefined) return;
    const payload = data.subarray(1);
    if (port === 8080) ws.send(message(channel, payload));
    if (port === 9090) ws.send(message(channel, payload.toString("utf8").toUpperCase()));
  });
}
