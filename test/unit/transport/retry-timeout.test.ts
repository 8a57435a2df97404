import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import type { AuthProvider } from "../../../runtime/auth/provider.js";
import { AuthError } from "../../../runtime/auth/errors.js";
import { connectionWithExec, fakePlugin } from "../auth/plugin-fixture.js";
import { NetworkError, TimeoutError } from "../../../runtime/transport/errors.js";
import { createTransport, parseRetryAfter } from "../../../runtime/transport/transport.js";
import type { Transport } from "../../../runtime/transport/types.js";
import { connectionTo, startHttpServer, type TestServer } from "./servers.js";
import { Secret } from "../../../runtime/config/secret.js";


const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function serve(handler: Parameters<typeof startHttpServer>[0]): Promise<TestServer> {
  const server = await startHttpServer(handler);
  cleanups.push(() => server.close());
  return server;
}
function transportFor(server: string, options: Parameters<typeof createTransport>[1] = {}): Transport {
  const transport = createTransport(connectionTo(server), { retryBaseDelayMs: 10, ...options });
  cleanups.push(() => transport.close());
  return transport;
}

describe("retry on 429/503", () => {
  it("waits for Retry-After seconds, then succeeds", async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { "retry-after": "1" }).end("slow down");
      else res.writeHead(200).end("ok");
    });
    const started = Date.now();
    const response = await transportFor(server.url).send({ method: "GET", path: "/api" });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe("ok");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests.length).toBe(2);
  });

  it("is bounded by maxRetries and returns the last answer", async () => {
    const server = await serve((_req, res) => res.writeHead(503, { "retry-after": "0" }).end());
    const response = await transportFor(server.url, { maxRetries: 2 }).send({ method: "GET", path: "/api" });
    expect(response.statusCode).toBe(503);
    expect(server.requests.length).toBe(3);
  });

  it("does not wait for a Retry-After longer than allowed", async () => {
    const server = await serve((_req, res) => res.writeHead(429, { "retry-after": "120" }).end());
    const started = Date.now();
    const response = await transportFor(server.url).send({ method: "GET", path: "/api" });
    expect(response.statusCode).toBe(429);
    expect(server.requests.length).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("retries POST on 429 (never processed) but not on 503 without Retry-After", async () => {
    let calls = 0;
    const server = await serve((req, res) => {
      calls++;
      if (req.url === "/busy") res.writeHead(503).end();
      else res.writeHead(calls === 1 ? 429 : 201).end();
    });
    const transport = transportFor(server.url);
    expect((await transport.send({ method: "POST", path: "/create", body: "{}" })).statusCode).toBe(201);
    expect(server.requests.length).toBe(2);
    expect((await transport.send({ method: "POST", path: "/busy", body: "{}" })).statusCode).toBe(503);
    expect(server.requests.length).toBe(3);
    expect((await transport.send({ method: "GET", path: "/busy" })).statusCode).toBe(503);
    expect(server.requests.length).toBe(3 + 4);
  });

  it("parses Retry-After seconds and HTTP dates", () => {
    const now = () => Date.parse("Wed, 21 Oct 2025 07:28:00 GMT");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Wed, 21 Oct 2025 07:28:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 21 Oct 2025 07:27:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(["2", "9"], now)).toBe(2000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe("connection failures", () => {
  it("retries idempotent requests after a reset, never non-idempotent ones", async () => {
    const server = await serve((req) => req.socket.destroy());
    const transport = transportFor(server.url, { maxRetries: 2 });
    const post = await transport.send({ method: "POST", path: "/x", body: "{}" }).catch((e: unknown) => e);
    expect(post).toBeInstanceOf(NetworkError);
    expect((post as NetworkError).server).toBe(server.url);
    expect(server.requests.length).toBe(1);
    const get = await transport.send({ method: "GET", path: "/x" }).catch((e: unknown) => e);
    expect(get).toBeInstanceOf(NetworkError);
    expect(server.requests.length).toBe(1 + 3);
    const patchMarkedSafe = await transport.send({ method: "PATCH", path: "/x", body: "{}", idempotent: true }).catch((e: unknown) => e);
    expect(patchMarkedSafe).toBeInstanceOf(NetworkError);
    expect(server.requests.length).toBe(4 + 3);
  });

  it("explains connection refused", async () => {
    const server = await serve(() => {});
    const url = server.url;
    await server.close();
    cleanups.length = 0;
    const error = (await transportFor(url, { maxRetries: 0 }).send({ method: "GET", path: "/api" }).catch((e: unknown) => e)) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe("ECONNREFUSED");
    expect(error.message).toContain(`connection refused by ${url} — is the API server running at ${url}? check the server field of your kubeconfig`);
  });
});

describe("streaming requests (watches: the watcher loop decides their reconnects)", () => {
  it("are retried only when the server says when (429/503 with Retry-After), not after a reset or a bare 503", async () => {
    let calls = 0;
    const server = await serve((req, res) => {
      calls++;
      if (req.url === "/reset") req.socket.destroy();
      else if (req.url === "/busy") res.writeHead(503).end();
      else res.writeHead(calls === 1 ? 429 : 200, calls === 1 ? { "retry-after": "0" } : {}).end("ok");
    });
    const transport = transportFor(server.url, { maxRetries: 2 });
    const directed = await transport.send({ method: "GET", path: "/watch", streaming: true });
    expect(directed.statusCode).toBe(200);
    await directed.body.dump();
    expect(server.requests.length).toBe(2);
    expect((await transport.send({ method: "GET", path: "/busy", streaming: true })).statusCode).toBe(503);
    expect(server.requests.length).toBe(3);
    expect(await transport.send({ method: "GET", path: "/reset", streaming: true }).catch((e: unknown) => e)).toBeInstanceOf(NetworkError);
    expect(server.requests.length).toBe(4);
  });
});

describe("timeouts and aborts", () => {
  it("fails with a TimeoutError naming server and timeout", async () => {
    const server = await serve(() => {});
    const error = (await transportFor(server.url).send({ method: "GET", path: "/slow", timeoutMs: 200 }).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain(server.url);
    expect(error.message).toContain("200 ms");
    expect(server.requests.length).toBe(1); // a timeout is not retried
  });

  it("applies the transport default timeout and lets streaming bodies stay open", async () => {
    const server = await serve((req, res) => {
      res.writeHead(200);
      res.write("first;");
      if (req.url === "/stream") setTimeout(() => res.end("second"), 400);
    });
    const transport = transportFor(server.url, { timeoutMs: 150 });
    const stream = await transport.send({ method: "GET", path: "/stream", streaming: true });
    expect(await stream.body.text()).toBe("first;second");
    const stuck = await transport.send({ method: "GET", path: "/stuck" });
    await expect(stuck.body.text()).rejects.toBeInstanceOf(TimeoutError);
  });

  it("hands back the caller's abort reason", async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    const pending = transportFor(server.url).send({ method: "GET", path: "/slow", signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 50);
    await expect(pending).rejects.toThrow("user cancelled");
  });

  it("a caller's abort ends a streaming body mid-read with the caller's reason", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      res.write("first;"); // and never ends, like a watch
    });
    const controller = new AbortController();
    const stream = await transportFor(server.url).send({ method: "GET", path: "/watch", streaming: true, signal: controller.signal });
    const chunks: string[] = [];
    const reading = (async () => {
      for await (const chunk of stream.body) {
        chunks.push(Buffer.from(chunk).toString());
        controller.abort(new Error("watch stopped"));
      }
    })();
    await expect(reading).rejects.toThrow("watch stopped");
    expect(chunks).toEqual(["first;"]);
  });

  it("leaves no listener on a long-lived caller signal once each exchange is over", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end("ok"));
    const transport = transportFor(server.url);
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) {
      const response = await transport.send({ method: "GET", path: `/x${i}`, signal: controller.signal });
      expect(await response.body.text()).toBe("ok");
    }
    const unread = await transport.send({ method: "GET", path: "/dumped", signal: controller.signal });
    await unread.body.dump();
    expect(EventEmitter.getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("aborts during a Retry-After wait", async () => {
    const server = await serve((_req, res) => res.writeHead(429, { "retry-after": "5" }).end());
    const controller = new AbortController();
    const started = Date.now();
    const pending = transportFor(server.url).send({ method: "GET", path: "/x", signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop waiting")), 100);
    await expect(pending).rejects.toThrow("stop waiting");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("requests", () => {
  it("appends the path to a server with a prefix and sends a user agent", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end());
    const transport = transportFor(`${server.url}/k8s/clusters/c-1/`);
    await (await transport.send({ method: "GET", path: "/api/v1/namespaces?limit=1", headers: { Accept: "application/json" } })).body.dump();
    expect(server.requests[0]!.url).toBe("/k8s/clusters/c-1/api/v1/namespaces?limit=1");
    expect(server.requests[0]!.headers["user-agent"]).toMatch(/^kubetyped\//);
    expect(server.requests[0]!.headers.accept).toBe("application/json");
  });

  it("adds auth headers and resends once after a 401 when the provider refreshed", async () => {
    const server = await serve((req, res) => res.writeHead(req.headers.authorization === "Bearer good" ? 200 : 401).end());
    let refreshes = 0;
    let token = "stale";
    const auth: AuthProvider = {
      headers: async () => ({ authorization: `Bearer ${token}` }),
      refreshAfterUnauthorized: async () => {
        refreshes++;
        token = refreshes === 1 ? "good" : "still-bad";
        return true;
      },
    };
    const transport = createTransport(connectionTo(server.url), { auth });
    cleanups.push(() => transport.close());
    expect((await transport.send({ method: "POST", path: "/x", body: "{}" })).statusCode).toBe(200);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer stale", "Bearer good"]);
    token = "revoked";
    refreshes = 1;
    expect((await transport.send({ method: "GET", path: "/x" })).statusCode).toBe(401);
    expect(refreshes).toBe(2); // one refresh, one resend, then the 401 goes to the caller
    expect(server.requests.length).toBe(4);
  });

  it("leaves a caller's own Authorization header alone", async () => {
    const server = await serve((_req, res) => res.writeHead(401).end());
    let calls = 0;
    const auth: AuthProvider = {
      headers: async () => ((calls++), { authorization: "Bearer provider" }),
      refreshAfterUnauthorized: async () => true,
    };
    const transport = createTransport(connectionTo(server.url), { auth });
    cleanups.push(() => transport.close());
    expect((await transport.send({ method: "GET", path: "/x", headers: { Authorization: "Bearer mine" } })).statusCode).toBe(401);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer mine"]);
    expect(calls).toBe(0);
  });

  it("sends a fixed token (or basic credentials) with every request, yields to a caller's own Authorization, and passes a 401 on unresent", async () => {
    const server = await serve((req, res) => res.writeHead(req.url === "/denied" ? 401 : 200).end());
    const token = createTransport({ ...connectionTo(server.url), credentials: { type: "token", token: new Secret("fixed") } });
    const basic = createTransport({ ...connectionTo(server.url), credentials: { type: "basic", username: "u", password: new Secret("p") } });
    cleanups.push(() => token.close(), () => basic.close());
    await (await token.send({ method: "GET", path: "/a" })).body.dump();
    await (await token.send({ method: "GET", path: "/b", headers: { Accept: "application/json" } })).body.dump();
    await (await token.send({ method: "GET", path: "/c", headers: { Authorization: "Bearer mine" } })).body.dump();
    expect((await token.send({ method: "GET", path: "/denied" })).statusCode).toBe(401);
    await (await basic.send({ method: "GET", path: "/d" })).body.dump();
    expect(server.requests.map((r) => [r.url, r.headers.authorization, r.headers["user-agent"]?.slice(0, 10)])).toEqual([
      ["/a", "Bearer fixed", "kubetyped/"],
      ["/b", "Bearer fixed", "kubetyped/"],
      ["/c", "Bearer mine", "kubetyped/"],
      ["/denied", "Bearer fixed", "kubetyped/"],
      ["/d", `Basic ${Buffer.from("u:p").toString("base64")}`, "kubetyped/"],
    ]);
  });

  it("surfaces a failing exec plugin as an AuthError with its installHint, sending nothing", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end());
    const plugin = await fakePlugin();
    const exec = plugin.exec({ command: "kubetyped-missing-plugin", args: [], installHint: "see https://example.test/install" });
    const transport = createTransport({ ...connectionWithExec(exec), server: server.url }, { maxRetries: 2 });
    cleanups.push(() => transport.close());
    const error = await transport.send({ method: "GET", path: "/x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain("see https://example.test/install");
    expect(server.requests.length).toBe(0);
  });
});
