import { describe, expect, it } from "vitest";
import { KubeClient } from "../../../runtime/index.js";
import { createEventRecorder, type ResourceFactory } from "../../../runtime/entries/controller.js";
import { FakeTransport } from "../client/fake-transport.js";
import { SteppedClock } from "./stepped-clock.js";

const subject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "ns", uid: "u-1", resourceVersion: "7" } };
const spin = { type: "Normal", reason: "Spinning", action: "Reconcile", note: "again" } as const;

function setup(options: { seriesWindowMs?: number; flushIntervalMs?: number } = {}) {
  const transport = new FakeTransport();
  const clock = new SteppedClock();
  const recorder = createEventRecorder(new KubeClient(transport, { namespace: "ns" }), { reportingController: "kubetyped.dev/unit", reportingInstance: "i-1", clock, ...options });
  const sent = () => transport.sent.map((request) => `${request.method} ${request.path}${request.body ? ` ${request.body}` : ""}`);
  return { transport, clock, recorder, sent };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("createEventRecorder", () => {
  it("creates an events.k8s.io/v1 event about the object, with the reporting controller and instance", async () => {
    const { recorder, transport } = setup();
    recorder.event(subject, spin);
    await recorder.flush();
    expect(transport.last).toMatchObject({ method: "POST", path: "/apis/events.k8s.io/v1/namespaces/ns/events" });
    expect(transport.last.json).toMatchObject({
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { namespace: "ns", name: expect.stringMatching(/^cm\.[0-9a-f]+$/) },
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      reportingController: "kubetyped.dev/unit",
      reportingInstance: "i-1",
      regarding: { apiVersion: "v1", kind: "ConfigMap", name: "cm", namespace: "ns", uid: "u-1", resourceVersion: "7" },
      reason: "Spinning",
      action: "Reconcile",
      note: "again",
      type: "Normal",
    });
  });

  it("counts repeats and sends the count once per flush interval, not per repeat", async () => {
    const { recorder, clock, sent } = setup({ flushIntervalMs: 1_000 });
    for (let i = 0; i < 50; i++) recorder.event(subject, spin);
    await settle();
    expect(sent()).toHaveLength(1); // the create; the 49 repeats wait for the timer
    clock.advance(1_000);
    await recorder.flush();
    expect(sent()).toHaveLength(2);
    expect(sent()[1]).toMatch(/^PATCH \/apis\/events\.k8s\.io\/v1\/namespaces\/ns\/events\/cm\.[0-9a-f]+ \{"series":\{"count":50,"lastObservedTime":"[^"]+"\}\}$/);
    await recorder.flush();
    expect(sent()).toHaveLength(2); // nothing new to say
  });

  it("starts a new event when a repeat comes after the series window", async () => {
    const { recorder, clock, sent } = setup({ seriesWindowMs: 60_000 });
    recorder.event(subject, spin);
    clock.advance(59_999);
    recorder.event(subject, spin);
    clock.advance(60_000);
    recorder.event(subject, spin);
    await recorder.close();
    expect(sent().filter((line) => line.startsWith("POST"))).toHaveLength(2);
    recorder.event(subject, spin); // closed: dropped
    await settle();
    expect(sent().filter((line) => line.startsWith("POST"))).toHaveLength(2);
  });

  it("tells events apart by type, reason, action, note and object", async () => {
    const { recorder, sent } = setup();
    recorder.event(subject, spin);
    recorder.event(subject, { ...spin, note: "other" });
    recorder.event(subject, { ...spin, type: "Warning" });
    recorder.event({ ...subject, metadata: { ...subject.metadata, name: "cm-2" } }, spin);
    await recorder.flush();
    expect(sent().filter((line) => line.startsWith("POST"))).toHaveLength(4);
  });

  it("refuses objects without apiVersion, kind or name, and a recorder without a reporting controller", () => {
    const { recorder } = setup();
    expect(() => recorder.event({ metadata: { name: "x" } }, spin)).toThrow(/needs apiVersion, kind and metadata.name/);
    expect(() => createEventRecorder(new KubeClient(new FakeTransport()), { reportingController: "" })).toThrow(/reporting controller/);
  });
});

describe("createEventRecorder bounds", () => {
  /** A cluster whose event writes take a few milliseconds each, counting creates, patches and the most in flight at once. */
  function slowCluster() {
    const counts = { creates: 0, patches: 0, inFlight: 0, peak: 0 };
    const write = async () => {
      counts.peak = Math.max(counts.peak, ++counts.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      counts.inFlight--;
      return {};
    };
    const kube = { resource: () => ({ create: () => (counts.creates++, write()), patch: () => (counts.patches++, write()) }) } as unknown as ResourceFactory;
    return { kube, counts };
  }
  const objectNamed = (name: string) => ({ ...subject, metadata: { ...subject.metadata, name, uid: `u-${name}` } });

  it("10,000 distinct notes about one object: 25 creates, then one more per 5 minutes; the drops counted and said once", async () => {
    const { kube, counts } = slowCluster();
    const clock = new SteppedClock();
    const errors: string[] = [];
    const recorder = createEventRecorder(kube, { reportingController: "kubetyped.dev/unit", clock, onError: (error) => errors.push(String(error)) });
    for (let i = 0; i < 10_000; i++) recorder.event(subject, { ...spin, note: `processed item ${i}` });
    await recorder.flush();
    expect(counts.creates).toBe(25);
    expect(recorder.dropped).toBe(9_975);
    expect(errors).toEqual([
      "Error: dropping events: more than 25 distinct events about ConfigMap ns/cm (then one every 5 min is sent; limits.perObjectBurst raises it); further drops are counted in recorder.dropped, not reported",
    ]);
    clock.advance(5 * 60_000);
    recorder.event(subject, { ...spin, note: "after five minutes" });
    recorder.event(subject, { ...spin, note: "and one too many" });
    await recorder.close();
    expect(counts.creates).toBe(26);
    expect(recorder.dropped).toBe(9_976);
  });

  it("one event on 10,000 objects: at most 4 writes in flight and 1,000 waiting, the rest dropped and said once", async () => {
    const { kube, counts } = slowCluster();
    const errors: string[] = [];
    const recorder = createEventRecorder(kube, { reportingController: "kubetyped.dev/unit", clock: new SteppedClock(), onError: (error) => errors.push(String(error)) });
    for (let i = 0; i < 10_000; i++) recorder.event(objectNamed(`cm-${i}`), spin);
    await recorder.close();
    expect(counts.peak).toBe(4);
    expect(counts.creates).toBe(1_004);
    expect(recorder.dropped).toBe(8_996);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Error: dropping events: 1000 event writes are already waiting for the server \(an event about ConfigMap ns\/cm-1004 was dropped; limits.queuedWrites raises it\)/);
  });

  it("takes its bounds as options: a burst and refill per object, writes in flight and waiting", async () => {
    const { kube, counts } = slowCluster();
    const clock = new SteppedClock();
    const errors: string[] = [];
    const limits = { perObjectBurst: 3, perObjectRefillMs: 1_500, concurrentWrites: 2, queuedWrites: 10 };
    const recorder = createEventRecorder(kube, { reportingController: "kubetyped.dev/unit", clock, limits, onError: (error) => errors.push(String(error)) });
    for (let i = 0; i < 100; i++) recorder.event(subject, { ...spin, note: `processed item ${i}` });
    await recorder.flush();
    expect(counts.creates).toBe(3);
    clock.advance(1_500);
    recorder.event(subject, { ...spin, note: "after the refill" });
    recorder.event(subject, { ...spin, note: "one too many" });
    await recorder.flush();
    expect(counts.creates).toBe(4);
    for (let i = 0; i < 100; i++) recorder.event(objectNamed(`cm-${i}`), spin);
    await recorder.close();
    expect(counts.peak).toBe(2);
    expect(counts.creates).toBe(4 + 12);
    expect(recorder.dropped).toBe(97 + 1 + 88);
    expect(errors).toEqual([
      "Error: dropping events: more than 3 distinct events about ConfigMap ns/cm (then one every 1500 ms is sent; limits.perObjectBurst raises it); further drops are counted in recorder.dropped, not reported",
      expect.stringMatching(/^Error: dropping events: 10 event writes are already waiting for the server \(an event about ConfigMap ns\/cm-12 was dropped; limits.queuedWrites raises it\)/),
    ]);
  });

  it("forgets the least recently used objects' budgets and series past objectsRemembered and seriesRemembered", async () => {
    const { kube, counts } = slowCluster();
    const options = { reportingController: "kubetyped.dev/unit", clock: new SteppedClock(), onError: () => {} };
    const [a, b, c] = [objectNamed("a"), objectNamed("b"), objectNamed("c")];
    const small = createEventRecorder(kube, { ...options, limits: { perObjectBurst: 1, objectsRemembered: 2, seriesRemembered: 2 } });
    for (const object of [a, b, c]) small.event(object, { ...spin, note: "first" });
    small.event(a, { ...spin, note: "second" }); // a's budget was forgotten: a fresh burst
    small.event(b, { ...spin, note: "first" }); // b's series was forgotten: a new event, not a count
    await small.close();
    expect(counts.creates).toBe(5);
    const usual = createEventRecorder(kube, { ...options, limits: { perObjectBurst: 1 } });
    for (const object of [a, b, c]) usual.event(object, { ...spin, note: "first" });
    usual.event(a, { ...spin, note: "second" });
    usual.event(b, { ...spin, note: "first" });
    await usual.close();
    expect([counts.creates - 5, usual.dropped]).toEqual([3, 1]);
  });

  it("refuses a bound that is not a whole number, or a refill that is not a finite duration, naming it", () => {
    const kube = new KubeClient(new FakeTransport());
    const make = (limits: object) => () => createEventRecorder(kube, { reportingController: "kubetyped.dev/unit", limits });
    expect(make({ perObjectBurst: 0 })).toThrow("invalid limits.perObjectBurst: 0 is not a whole number of at least 1");
    expect(make({ concurrentWrites: 2.5 })).toThrow("invalid limits.concurrentWrites: 2.5 is not a whole number of at least 1");
    expect(make({ queuedWrites: -1 })).toThrow("invalid limits.queuedWrites: -1 is not a whole number of at least 0");
    expect(make({ perObjectRefillMs: Infinity })).toThrow(/invalid limits.perObjectRefillMs: Infinity is not a finite positive number of milliseconds/);
    expect(make({ queuedWrites: 0, perObjectBurst: undefined })).not.toThrow();
  });
});
