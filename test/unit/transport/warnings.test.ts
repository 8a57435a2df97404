import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { connect } from "../../../runtime/connect.js";
import { createTransport } from "../../../runtime/transport/transport.js";
import type { TransportOptions } from "../../../runtime/transport/types.js";
import { parseWarningHeaders, warningPrinter, type ApiWarning, type WarningContext } from "../../../runtime/transport/warnings.js";
import { connectionTo, startHttpServer, type Handler, type TestServer } from "./servers.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  vi.restoreAllMocks();
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startHttpServer(handler);
  cleanups.push(() => server.close());
  return server;
}

function transportFor(server: TestServer, options: TransportOptions) {
  const transport = createTransport(connectionTo(server.url), { retryBaseDelayMs: 5, ...options });
  cleanups.push(() => transport.close());
  return transport;
}

/** Sends one GET and reads the body, as every caller of the transport does. */
async function get(transport: ReturnType<typeof createTransport>, path: string): Promise<string> {
  const response = await transport.send({ method: "GET", path });
  return response.body.text();
}

const INGRESS = "networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress";

describe("parseWarningHeaders (client-go's ParseWarningHeaders rules)", () => {
  it("reads kube-apiserver's form, several per value (comma-joined) and several values", () => {
    expect(parseWarningHeaders(`299 - "${INGRESS}"`)).toEqual({ warnings: [{ code: 299, agent: "-", text: INGRESS }], errors: [] });
    expect(parseWarningHeaders(['299 - "one", 299 - "two"', '299 kube-apiserver "three" "Tue, 15 Nov 1994 08:12:31 GMT"']).warnings).toEqual([
      { code: 299, agent: "-", text: "one" },
      { code: 299, agent: "-", text: "two" },
      { code: 299, agent: "kube-apiserver", text: "three" },
    ]);
  });

  it("unescapes backslashes and keeps commas inside the quoted text", () => {
    expect(parseWarningHeaders('299 - "unknown field \\"spec.foo\\", and more"').warnings).toEqual([
      { code: 299, agent: "-", text: 'unknown field "spec.foo", and more' },
    ]);
  });

  it("stops a value at its first malformed warning and goes on with the next value", () => {
    const result = parseWarningHeaders(['299 - "kept", 2999 - "bad code", 299 - "lost"', "299 - unquoted", "199 - \"misc\""]);
    expect(result.warnings).toEqual([
      { code: 299, agent: "-", text: "kept" },
      { code: 199, agent: "-", text: "misc" },
    ]);
    expect(result.errors).toEqual([expect.stringContaining("code segment is not 3 digits"), expect.stringContaining("not a quoted string")]);
    expect(parseWarningHeaders('299 - "no end').errors).toEqual([expect.stringContaining("missing closing quote")]);
    expect(parseWarningHeaders('299 - "a" junk').errors).toEqual([expect.stringContaining("unexpected token")]);
    expect(parseWarningHeaders('299 - "bell\u0007"').errors).toEqual([expect.stringContaining("invalid text")]);
  });
});

describe("the warnings layer of the transport", () => {
  it("hands every warning of every answer to the handler, with the request it answered", async () => {
    const server = await serve((request, response) => {
      // Two header lines, the first carrying two warnings: node sends them as separate `Warning` lines.
      response.setHeader("Warning", ['299 - "first", 299 - "second"', `299 - "${INGRESS}"`]);
      response.end(`answer ${request.url}`);
    });
    const seen: Array<[ApiWarning, WarningContext]> = [];
    const transport = transportFor(server, { warnings: (warning, context) => seen.push([warning, context]) });
    expect(await get(transport, "/apis/networking.k8s.io/v1beta1/ingresses?limit=1")).toBe("answer /apis/networking.k8s.io/v1beta1/ingresses?limit=1");
    await get(transport, "/again");
    expect(seen.map(([warning]) => warning.text)).toEqual(["first", "second", INGRESS, "first", "second", INGRESS]);
    expect(seen[0]).toEqual([{ code: 299, agent: "-", text: "first" }, { method: "GET", path: "/apis/networking.k8s.io/v1beta1/ingresses?limit=1" }]);
    expect(seen[3]?.[1]).toEqual({ method: "GET", path: "/again" });
  });

  it("reads only the answer the caller gets, not one retried past", async () => {
    let calls = 0;
    const server = await serve((_request, response) => {
      calls++;
      if (calls === 1) response.writeHead(429, { "Retry-After": "0", Warning: '299 - "from the 429"' }).end();
      else response.writeHead(200, { Warning: '299 - "from the 200"' }).end("ok");
    });
    const texts: string[] = [];
    await get(transportFor(server, { warnings: (warning) => texts.push(warning.text) }), "/api");
    expect(calls).toBe(2);
    expect(texts).toEqual(["from the 200"]);
  });

  it("prints each distinct 299 text once per client by default, as kubectl does", async () => {
    const server = await serve((request, response) => {
      response.setHeader("Warning", request.url === "/other" ? ['299 - "other"', '199 - "not a 299"'] : `299 - "${INGRESS}"`);
      response.end("ok");
    });
    const lines: string[] = [];
    const printing = transportFor(server, { warnings: warningPrinter((line) => lines.push(line)) });
    for (const path of ["/a", "/b", "/other", "/c"]) await get(printing, path);
    expect(lines).toEqual([`Warning: ${INGRESS}\n`, "Warning: other\n"]);
    // Another client has its own memory of what it printed.
    const another = transportFor(server, { warnings: warningPrinter((line) => lines.push(line)) });
    await get(another, "/a");
    expect(lines).toHaveLength(3);
  });

  it("remembers the last 1,000 texts, least recently seen forgotten first (a controller meets warnings without end)", () => {
    const lines: string[] = [];
    const print = warningPrinter((line) => lines.push(line));
    const warn = (text: string) => print({ code: 299, agent: "-", text }, { method: "GET", path: "/" });
    warn("kept");
    for (let i = 0; i < 999; i++) warn(`object ${i} has an unknown field`);
    warn("kept"); // seen again: now the most recent, so the next new text pushes out "object 0" instead
    warn("one more");
    const printedBefore = lines.length;
    warn("kept");
    expect(lines.length).toBe(printedBefore);
    warn("object 0 has an unknown field");
    expect(lines.slice(printedBefore)).toEqual(["Warning: object 0 has an unknown field\n"]);
    // Long texts are remembered by digest and still told apart.
    const long = "x".repeat(20_000);
    warn(long);
    warn(long);
    warn(`${long}y`);
    expect(lines.slice(printedBefore + 1).map((line) => line.length)).toEqual([20_010, 20_011]);
  });

  it("writes to stderr when nothing is configured, and nothing with warnings: false", async () => {
    const server = await serve((_request, response) => response.writeHead(200, { Warning: '299 - "to stderr"' }).end("ok"));
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    await get(transportFor(server, {}), "/a");
    await get(transportFor(server, { warnings: false }), "/a");
    expect(stderr.mock.calls.map(([text]) => String(text)).filter((text) => text.includes("to stderr"))).toEqual(["Warning: to stderr\n"]);
  });

  it("passes a handler's own failure to the caller and frees the connection", async () => {
    const server = await serve((_request, response) => response.writeHead(200, { Warning: '299 - "boom"' }).end("x".repeat(100_000)));
    let throwing = true;
    const transport = transportFor(server, {
      warnings: () => {
        if (throwing) throw new Error("handler failed");
      },
    });
    await expect(get(transport, "/a")).rejects.toThrow("handler failed");
    throwing = false;
    expect(await get(transport, "/b")).toHaveLength(100_000);
  });
});

describe("connect({ warnings })", () => {
  it("passes the handler through to the client's transport", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { "Content-Type": "application/json", Warning: `299 - "${INGRESS}"` }).end('{"kind":"IngressList","items":[]}');
    });
    const dir = await mkdtemp(join(tmpdir(), "kubetyped-warnings-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const kubeconfig = join(dir, "config");
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{ name: c, cluster: { server: "${server.url}" } }]\nusers: [{ name: u, user: {} }]\ncontexts: [{ name: c, context: { cluster: c, user: u } }]\n`,
    );
    const seen: string[] = [];
    const kube = await connect({ kubeconfig, env: {}, warnings: (warning, context) => seen.push(`${context.method} ${context.path}: ${warning.text}`) });
    cleanups.push(() => kube.close());
    await kube.requestJson({ method: "GET", path: "/apis/networking.k8s.io/v1beta1/ingresses" });
    expect(seen).toEqual([`GET /apis/networking.k8s.io/v1beta1/ingresses: ${INGRESS}`]);
  });
});
