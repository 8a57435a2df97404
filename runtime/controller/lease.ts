// The coordination.k8s.io/v1 Lease as leader election reads and writes it, declared here (the runtime imports no generated module).
import { defineResource } from "../api/descriptor.js";
import type { ObjectMetadata } from "../api/metadata.js";

/** `Lease.spec`: who holds the lease, since when, and for how long others must wait. */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** MicroTime: RFC 3339 with six fractional digits. */
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** A `coordination.k8s.io/v1` Lease (the fields leader election uses). */
export interface Lease {
  apiVersion?: "coordination.k8s.io/v1";
  kind?: "Lease";
  metadata?: ObjectMetadata;
  spec?: LeaseSpec;
}

/** The Lease resource with the verbs leader election needs. */
export const leases = defineResource<Lease>()({
  group: "coordination.k8s.io",
  version: "v1",
  plural: "leases",
  kind: "Lease",
  namespaced: true,
  verbs: ["get", "create", "update"],
});

/** A Date as Kubernetes' MicroTime (`2024-05-01T10:00:00.123000Z`): the API server refuses other precisions there. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** The fields whose change shows the holder is alive (client-go compares the whole record, so do we). */
export function recordFingerprint(spec: LeaseSpec | undefined): string {
  const { holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions } = spec ?? {};
  return JSON.stringify([holderIdentity ?? "", leaseDurationSeconds ?? 0, acquireTime ?? "", renewTime ?? "", leaseTransitions ?? 0]);
}

/** What an attempt found: whether this candidate may write the lease now, and when to look again if not. */
export interface LeaseJudgement {
  mayTake: boolean;
  /** Milliseconds (own clock) at which the observed holder's lease expires, when someone else holds it. */
  expiresAt?: number;
}

/**
 * Whether `identity` may take or renew a lease held per `spec`, judged only by this candidate's own clock: the
 * holder's lease expires `leaseDurationSeconds` after this candidate last saw the record change (`observedAt`),
 * whatever `renewTime` says, so a holder whose clock is off cannot keep or lose the lease by it.
 */
export function judgeLease(spec: LeaseSpec | undefined, identity: string, observedAt: number, now: number, fallbackDurationMs: number): LeaseJudgement {
  const holder = spec?.holderIdentity ?? "";
  if (holder === "" || holder === identity) return { mayTake: true };
  const durationMs = spec?.leaseDurationSeconds !== undefined ? spec.leaseDurationSeconds * 1000 : fallbackDurationMs;
  const expiresAt = observedAt + durationMs;
  return now >= expiresAt ? { mayTake: true } : { mayTake: false, expiresAt };
}
