// Events as the recorder writes them, in both APIs (events.k8s.io/v1 and core/v1), declared here: the runtime imports no generated module.
import { defineResource } from "../api/descriptor.js";
import type { ObjectMetadata } from "../api/metadata.js";

/** Which object an event is about (`regarding`, `involvedObject`, `related`). */
export interface EventObjectReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** `events.k8s.io/v1` Event (the fields the recorder writes). */
export interface EventsV1Event {
  apiVersion?: "events.k8s.io/v1";
  kind?: "Event";
  metadata?: ObjectMetadata;
  /** MicroTime of the first occurrence. */
  eventTime: string;
  /** Present once an event repeated: how often, and when last. */
  series?: { count: number; lastObservedTime: string };
  reportingController?: string;
  reportingInstance?: string;
  action?: string;
  reason?: string;
  regarding?: EventObjectReference;
  related?: EventObjectReference;
  note?: string;
  type?: string;
}

/** core/v1 Event (the fields the recorder writes): what servers without events.k8s.io/v1 take. */
export interface CoreV1Event {
  apiVersion?: "v1";
  kind?: "Event";
  metadata?: ObjectMetadata;
  involvedObject: EventObjectReference;
  related?: EventObjectReference;
  reason?: string;
  message?: string;
  type?: string;
  action?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string;
  lastTimestamp?: string;
  count?: number;
  reportingComponent?: string;
  reportingInstance?: string;
}

/** events.k8s.io/v1 events, with the verbs the recorder uses. */
export const eventsV1 = defineResource<EventsV1Event>()({
  group: "events.k8s.io",
  version: "v1",
  plural: "events",
  kind: "Event",
  namespaced: true,
  verbs: ["create", "patch"],
});

/** core/v1 events, with the verbs the recorder uses. */
export const coreEvents = defineResource<CoreV1Event>()({
  group: "",
  version: "v1",
  plural: "events",
  kind: "Event",
  namespaced: true,
  verbs: ["create", "patch"],
});
