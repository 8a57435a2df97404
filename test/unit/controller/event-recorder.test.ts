import { describe, expect, it } from "vitest";
import { createEventRecorder, KubeClient } from "../../../runtime/index.js";
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
