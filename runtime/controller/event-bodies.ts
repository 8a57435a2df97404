// The bodies an event and its repeat count take in each API: events.k8s.io/v1 (series) and core/v1 (count).
import type { CoreV1Event, EventObjectReference, EventsV1Event } from "./event-types.js";
import { microTime } from "./lease.js";

/** The two event APIs, named by their apiVersion. */
export type EventApi = "events.k8s.io/v1" | "v1";

/** What an event says, for either API. */
export interface EventFacts {
  name: string;
  namespace: string;
  reference: EventObjectReference;
  input: { type: string; reason: string; action: string; note?: string | undefined; related?: EventObjectReference | undefined };
  seen: Date;
  controller: string;
  instance: string;
}

/** metav1.Time: RFC 3339 in whole seconds. */
const seconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Per API: the body of a new event, and the merge patch that reports `count` occurrences, the last at `last`. */
export const eventBodies: Record<EventApi, { create(facts: EventFacts): object; countPatch(count: number, last: Date): object }> = {
  "events.k8s.io/v1": {
    create: ({ name, namespace, reference, input, seen, controller, instance }): EventsV1Event => ({
      metadata: { name, namespace },
      eventTime: microTime(seen),
      reportingController: controller,
      reportingInstance: instance,
      action: input.action,
      reason: input.reason,
      type: input.type,
      note: input.note ?? "",
      regarding: reference,
      ...(input.related && { related: input.related }),
    }),
    countPatch: (count, last) => ({ series: { count, lastObservedTime: microTime(last) } }),
  },
  v1: {
    create: ({ name, namespace, reference, input, seen, controller, instance }): CoreV1Event => ({
      metadata: { name, namespace },
      involvedObject: reference,
      ...(input.related && { related: input.related }),
      reason: input.reason,
      message: input.note ?? "",
      type: input.type,
      action: input.action,
      source: { component: controller },
      firstTimestamp: seconds(seen),
      lastTimestamp: seconds(seen),
      count: 1,
      reportingComponent: controller,
      reportingInstance: instance,
    }),
    countPatch: (count, last) => ({ count, lastTimestamp: seconds(last) }),
  },
};
