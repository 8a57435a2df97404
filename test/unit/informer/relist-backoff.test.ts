import { afterEach, describe, expect, it } from "vitest";
import { clientFromConnection } from "../../../runtime/connect.js";
import { createInformer, RelistLoopError } from "../../../runtime/entries/controller.js";
import { RelistBackoff, EXPIRED_IN_A_ROW_REPORTED } from "../../../runtime/watch/relist-backoff.js";
import { configmaps } from "../../types/fixtures.js";
import { connectionTo, startHttpServer, type TestServer } from "../transport/servers.js";

const expiredStatus = { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410, message: "too old resource version: 5 (9)" };

/** A server whose lists succeed and whose every watch expires at once: as HTTP 410, or as a 200 carrying an ERROR event. */
function expiringServer(how: "http" | "event"): Promise<TestServer> {
  return startHttpServer((request, response) => {
    if (!request.url!.includes("watch=true")) {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ kind: "ConfigMapList", apiVersion: "v1", metadata: { resourceVersion: "5" }, items: [] }));
    } else if (how === "http") {
      response.writeHead(410, { "content-type": "application/json" }).end(JSON.stringify(expiredStatus));
    } else {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ type: "ERROR", object: expiredStatus }) + "\n");
    }
  });
}

describe("informer against a server that expires every watch", () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  for (const how of ["http", "event"] as const) {
    it(`relists with backoff, not in a tight loop, and tells error handlers (410 as ${how === "http" ? "HTTP status" : "ERROR event"})`, async () => {
      server = await expiringServer(how);
      const kube = clientFromConnection(connectionTo(server.url), { warnings: false, namespace: "ns" });
      const informer = createInformer(kube.resource(configmaps), { backoff: { initialMs: 20, maxMs: 100 } });
      const errors: unknown[] = [];
      informer.on("error", (error) => errors.push(error));
      await informer.synced;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await informer.stop();
      // Waits of 20, 40, 80, then at most 100 ms each (jittered down to half): at most ~25 relists in a second,
      // each a list and a watch. Without the backoff this loop made thousands.
      expect(server.requests.length).toBeLessThan(60);
      expect(informer.listCount).toBeGreaterThanOrEqual(EXPIRED_IN_A_ROW_REPORTED);
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(errors.every((error) => error instanceof RelistLoopError)).toBe(true);
      expect(String(errors[0])).toMatch(/configmaps: 5 watches in a row expired \(410 Gone\) right after a fresh list/);
    });
  }
});

describe("RelistBackoff", () => {
  it("relists at once after the first expiry, backs off on each one in a row, and starts over after a healthy watch", () => {
    const backoff = new RelistBackoff({ initialMs: 100, maxMs: 1_000, random: () => 1 });
    expect(backoff.expired(5)).toEqual({ delayMs: 0, inARow: 1, report: false });
    expect(backoff.expired(5).delayMs).toBe(100);
    expect(backoff.expired(undefined).delayMs).toBe(200); // a paged list whose continue token expired counts too
    expect(backoff.expired(5).delayMs).toBe(400);
    expect(backoff.expired(5)).toEqual({ delayMs: 800, inARow: 5, report: true });
    expect(backoff.expired(5).delayMs).toBe(1_000);
    expect(backoff.expired(60_000)).toEqual({ delayMs: 0, inARow: 1, report: false });
    expect(backoff.expired(5).delayMs).toBe(100);
  });
});
