import { describe, expect, it, vi } from "vitest";
import { createWorkQueue } from "../../runtime/controller/work-queue.js";
import { KubeClient } from "../../runtime/index.js";
import { createController, createEventRecorder, createInformer, leaderElection, waitFor, type InformerSource } from "../../runtime/entries/controller.js";
import { execAuth } from "../../runtime/auth/exec.js";
import { createTransport } from "../../runtime/transport/index.js";
import { BackoffSchedule } from "../../runtime/watch/backoff.js";
import { MAX_TIMER_MS, setLongTimeout, clearLongTimeout } from "../../runtime/timers.js";
import { configmaps } from "../types/fixtures.js";
import { FakeTransport } from "./client/fake-transport.js";
import { connectionTo } from "./transport/servers.js";

const DAY_MS = 24 * 60 * 60 * 1_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts the timers set while `run` lasts and `ms` after it. */
async function timersSetDuring(ms: number, run: () => void | Promise<void>): Promise<number> {
  const spy = vi.spyOn(globalThis, "setTimeout");
  try {
    await run();
    await pause(ms);
    // The pause itself sets one timer.
    return spy.mock.calls.length - 1;
  } finally {
    spy.mockRestore();
  }
}


describe("delays beyond Node's 2^31−1 ms timer limit", () => {
  it("a work queue's addAfter(key, 30 days) arms one timer and waits, instead of firing every millisecond", async () => {
    const queue = createWorkQueue();
    const set = await timersSetDuring(200, () => queue.addAfter("k", 30 * DAY_MS));
    expect(set).toBeLessThanOrEqual(1); // Node would clamp 30 days to 1 ms, and the queue re-armed it ~200 times
    expect(queue.delayed).toBe(1);
    expect(queue.length).toBe(0);
    await queue.shutdown({ abandon: true });
  });

  it("an informer's 30-day resync does not call the update handlers at once, again and again", async () => {
    const source: InformerSource<{ metadata: { name: string; namespace: string; resourceVersion: string } }> = {
      descriptor: configmaps,
      list: async () => ({ apiVersion: "v1", kind: "ConfigMapList", metadata: { resourceVersion: "1" }, items: [{ metadata: { name: "a", namespace: "ns", resourceVersion: "1" } }] }),
      watch: (options) => (async function* () { await new Promise((resolve) => options!.signal!.addEventListener("abort", resolve)); })(),
    };
    const informer = createInformer(source, { resyncMs: 30 * DAY_MS });
    let updates = 0;
    informer.on("update", () => updates++);
    await informer.synced;
    await pause(100);
    await informer.stop();
    expect(updates).toBe(0);
  });

  it("waitFor with a 30-day timeout waits instead of timing out at once", async () => {
    const source = {
      list: async () => ({ apiVersion: "v1", kind: "ConfigMapList", metadata: { resourceVersion: "1" }, items: [] as Array<{ metadata: { name: string } }> }),
      watch: (options?: { signal?: AbortSignal }) => (async function* () { await new Promise((resolve) => options!.signal!.addEventListener("abort", resolve)); })(),
    };
    const stop = new AbortController();
    const waiting = waitFor(source, "x", () => false, { timeoutMs: 30 * DAY_MS, signal: stop.signal });
    const outcome = await Promise.race([waiting.then(() => "settled", (error: Error) => error.name), pause(100).then(() => "still waiting")]);
    stop.abort();
    await waiting.catch(() => {});
    expect(outcome).toBe("still waiting");
  });

  it("setLongTimeout re-arms in steps and fires at the time asked, not at the first step; a cleared one never fires", async () => {
    // Steps of 10 ms stand in for Node's 2^31−1 ms limit.
    const started = performance.now();
    let firedAfter: number | undefined;
    setLongTimeout(() => (firedAfter = performance.now() - started), 60, 10);
    let cleared = false;
    const handle = setLongTimeout(() => (cleared = true), 40, 10);
    await pause(20);
    clearLongTimeout(handle);
    expect(firedAfter).toBeUndefined();
    await pause(100);
    // Node's timers may fire a millisecond early by performance.now(); a timer not re-armed would fire at ~10 ms.
    expect(firedAfter).toBeGreaterThanOrEqual(50);
    expect(cleared).toBe(false);
    expect(MAX_TIMER_MS).toBe(2 ** 31 - 1);
  });
});

describe("duration options must be finite numbers of milliseconds", () => {
  const kube = new KubeClient(new FakeTransport());
  const lease = { name: "lease", onStartedLeading: () => {} };
  const cases: Array<[string, () => unknown, RegExp]> = [
    ["leaderElection leaseDurationMs: Infinity", () => leaderElection(kube, { ...lease, leaseDurationMs: Infinity }), /invalid leaseDurationMs: Infinity is not a finite positive number of milliseconds/],
    ["leaderElection renewDeadlineMs: NaN", () => leaderElection(kube, { ...lease, renewDeadlineMs: NaN }), /invalid renewDeadlineMs: NaN/],
    ["leaderElection retryPeriodMs: '2s'", () => leaderElection(kube, { ...lease, retryPeriodMs: "2s" as unknown as number }), /invalid retryPeriodMs: "2s"/],
    ["informer resyncMs: Infinity", () => createInformer(kube.resource(configmaps), { resyncMs: Infinity }), /invalid resyncMs: Infinity/],
    ["informer maxEventBytes: 1.5", () => createInformer(kube.resource(configmaps), { maxEventBytes: 1.5 }), /invalid maxEventBytes: 1.5 is not a positive whole number of bytes/],
    ["watch backoff maxMs: Infinity", () => new BackoffSchedule({ maxMs: Infinity }), /invalid backoff.maxMs: Infinity/],
    ["event recorder flushIntervalMs: NaN", () => createEventRecorder(kube, { reportingController: "x.dev/c", flushIntervalMs: NaN }), /invalid flushIntervalMs: NaN/],
    ["event recorder seriesWindowMs: Infinity", () => createEventRecorder(kube, { reportingController: "x.dev/c", seriesWindowMs: Infinity }), /invalid seriesWindowMs: Infinity/],
    ["transport timeoutMs: Infinity", () => createTransport(connectionTo("http://127.0.0.1:1"), { timeoutMs: Infinity }), /invalid timeoutMs: Infinity/],
    ["transport maxRetryAfterMs: -1", () => createTransport(connectionTo("http://127.0.0.1:1"), { maxRetryAfterMs: -1 }), /invalid maxRetryAfterMs: -1 is not a finite non-negative/],
    ["exec plugin timeoutMs: Infinity", () => execAuth({ command: "true", args: [], env: [] } as never, connectionTo("http://127.0.0.1:1"), { timeoutMs: Infinity }), /invalid timeoutMs: Infinity/],
  ];
  for (const [what, make, message] of cases) {
    it(`refuses ${what}, naming the option`, () => {
      expect(make).toThrow(message);
    });
  }

  it("refuses waitFor timeoutMs: Infinity and a per-call timeoutMs: Infinity before any request", async () => {
    const transport = new FakeTransport();
    const client = new KubeClient(transport);
    await expect(waitFor(client.resource(configmaps), "x", () => true, { timeoutMs: Infinity })).rejects.toThrow(/invalid timeoutMs: Infinity/);
    const real = new KubeClient(createTransport(connectionTo("http://127.0.0.1:1")));
    await expect(real.resource(configmaps).get("x", { namespace: "ns", timeoutMs: Infinity })).rejects.toThrow(/invalid timeoutMs: Infinity/);
    expect(transport.sent).toEqual([]);
  });
});

describe("a reconcile answering a duration that is not one", () => {
  it("reports requeueAfterMs: Infinity as a failed reconcile naming the field, and retries the key with backoff", async () => {
    const source: InformerSource<{ metadata: { name: string; namespace: string; resourceVersion: string } }> = {
      descriptor: configmaps,
      list: async () => ({ apiVersion: "v1", kind: "ConfigMapList", metadata: { resourceVersion: "1" }, items: [{ metadata: { name: "a", namespace: "ns", resourceVersion: "1" } }] }),
      watch: (options) => (async function* () { await new Promise((resolve) => options!.signal!.addEventListener("abort", resolve)); })(),
    };
    const errors: string[] = [];
    const controller = createController({ resource: source, reconcile: () => ({ requeueAfterMs: Infinity }), onError: (error, key) => errors.push(`${key}: ${String(error)}`) });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    for (let i = 0; i < 100 && errors.length === 0; i++) await pause(5);
    stop.abort();
    await running;
    expect(errors[0]).toBe("ns/a: RequestValidationError: invalid requeueAfterMs: Infinity is not a finite non-negative number of milliseconds");
  });
});
