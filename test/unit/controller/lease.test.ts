import { describe, expect, it } from "vitest";
import { judgeLease, microTime, recordFingerprint } from "../../../runtime/controller/lease.js";
import { KubeClient } from "../../../runtime/index.js";
import { leaderElection } from "../../../runtime/entries/controller.js";
import { FakeTransport } from "../client/fake-transport.js";

describe("judgeLease", () => {
  const held = { holderIdentity: "other", leaseDurationSeconds: 15, renewTime: "2000-01-01T00:00:00.000000Z" };

  it("lets the holder renew and anyone take a released lease", () => {
    expect(judgeLease({ ...held, holderIdentity: "me" }, "me", 0, 0, 15_000)).toEqual({ mayTake: true });
    expect(judgeLease({ ...held, holderIdentity: "" }, "me", 0, 0, 15_000)).toEqual({ mayTake: true });
    expect(judgeLease(undefined, "me", 0, 0, 15_000)).toEqual({ mayTake: true });
  });

  it("judges another holder's lease by when this candidate saw it change, never by its renewTime", () => {
    // renewTime is decades old, yet the lease was seen changing at 1,000 ms: it holds until 16,000 ms.
    expect(judgeLease(held, "me", 1_000, 15_999, 15_000)).toEqual({ mayTake: false, expiresAt: 16_000 });
    expect(judgeLease(held, "me", 1_000, 16_000, 15_000)).toEqual({ mayTake: true });
    expect(judgeLease({ ...held, leaseDurationSeconds: 3 }, "me", 1_000, 3_999, 15_000)).toEqual({ mayTake: false, expiresAt: 4_000 });
  });

  it("tells record changes apart by every field client-go compares", () => {
    expect(recordFingerprint(held)).toBe(recordFingerprint({ ...held }));
    expect(recordFingerprint(held)).not.toBe(recordFingerprint({ ...held, renewTime: "2000-01-01T00:00:01.000000Z" }));
    expect(recordFingerprint(held)).not.toBe(recordFingerprint({ ...held, leaseTransitions: 1 }));
  });

  it("writes MicroTime with six fractional digits", () => {
    expect(microTime(new Date("2024-05-01T10:00:00.123Z"))).toBe("2024-05-01T10:00:00.123000Z");
  });
});

describe("leaderElection settings", () => {
  const kube = new KubeClient(new FakeTransport());
  const base = { name: "lease", onStartedLeading: () => {} };

  it("refuses timings that would let two leaders act at once or leave no renewal attempt", () => {
    expect(() => leaderElection(kube, { ...base, leaseDurationMs: 5_000, renewDeadlineMs: 5_000 })).toThrow(/leaseDurationMs: 5000 must be more than renewDeadlineMs/);
    expect(() => leaderElection(kube, { ...base, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 })).toThrow(/renewDeadlineMs: 2000 must be more than 1.2 × retryPeriodMs/);
    expect(() => leaderElection(kube, { ...base, name: "" })).toThrow(/name of its Lease/);
  });
});
