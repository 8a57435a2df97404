import { EventEmitter } from "node:events";
import { afterEach, expect, it } from "vitest";
import { createFetchDispatcher, undiciAgentWorks } from "../../../runtime/transport/fetch-dispatcher.js";
import { startHttpServer, type TestServer } from "./servers.js";
import * as undici from "undici";

// The fetch dispatcher is what Bun runs on (its `undici` has a stand-in Agent); here it runs over Node's fetch.
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it("tells a working undici Agent (Node's) from a stand-in without request()", () => {
  expect(undiciAgentWorks(undici.Agent)).toBe(true);
  expect(undiciAgentWorks(class StandIn {})).toBe(false);
});

it("answers status, lower-case headers and a body read as text or dumped, sending method, headers and body as given", async () => {
  server = await startHttpServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => response.writeHead(201, { "X-Echo": request.headers["x-test"] ?? "" }).end(`${request.method} ${request.url} ${body}`));
  });
  const dispatcher = createFetchDispatcher({});
  const response = await dispatcher.request({ origin: server.url, path: "/api/v1/x?y=1", method: "POST", headers: { "x-test": "t" }, body: "hello" });
  expect(response.statusCode).toBe(201);
  expect(response.headers["x-echo"]).toBe("t");
  expect(await response.body.text()).toBe("POST /api/v1/x?y=1 hello");
  const again = await dispatcher.request({ origin: server.url, path: "/", method: "GET" });
  await again.body.dump();
  await dispatcher.close();
});

it("ends a streaming body when the request's abort emitter fires after the headers (how a watch stops)", async () => {
  server = await startHttpServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.write('{"type":"ADDED"}\n'); // and never ends, as a watch
  });
  const cancellation = Object.assign(new EventEmitter(), { aborted: false, reason: undefined as unknown });
  const response = await createFetchDispatcher({}).request({ origin: server.url, path: "/watch", method: "GET", signal: cancellation });
  const chunks: string[] = [];
  const reading = (async () => {
    try {
      for await (const chunk of response.body) {
        chunks.push(Buffer.from(chunk as Uint8Array).toString());
        cancellation.aborted = true;
        cancellation.emit("abort");
      }
    } catch (error) {
      return error;
    }
    return undefined;
  })();
  await expect(reading).resolves.toBeInstanceOf(Error);
  expect(chunks.join("")).toBe('{"type":"ADDED"}\n');
});

it("refuses WebSocket sessions over the fetch dispatcher with a reason, instead of a TypeError deep in undici", async () => {
  const { openChannelSession } = await import("../../../runtime/stream/channel-session.js");
  const rest = {
    upgradeContext: async () => ({ server: "https://127.0.0.1:6443", dispatcher: createFetchDispatcher({}), headers: {}, refreshAfterUnauthorized: async () => false }),
  } as unknown as Parameters<typeof openChannelSession>[0];
  await expect(openChannelSession(rest, { path: "/api/v1/namespaces/default/pods/web/exec?command=ls", protocols: ["v5.channel.k8s.io"] }, { message: () => {}, ended: () => {} })).rejects.toThrow(
    "exec, attach and port-forward need undici's WebSocket client, which this runtime replaces with its own (Bun); run them on Node or Deno",
  );
});
