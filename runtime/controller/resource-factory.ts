// What the controller room needs from a cluster: resource clients by descriptor. `KubeClient` fits; this room never imports it.
import type { ResourceDescriptor } from "../api/descriptor.js";
import type { ResourceClient } from "../client/resource-types.js";

/** Anything that makes resource clients from descriptors, like `KubeClient` (`kube.resource(descriptor)`). */
export interface ResourceFactory {
  resource<const R extends ResourceDescriptor>(descriptor: R): ResourceClient<R>;
}

/** An error's message, for messages of our own. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where the controller room reports what it cannot throw to anyone, unless the caller gives an `onError`. */
export function warn(message: string): void {
  process.emitWarning(message, { type: "KubetypedWarning" });
}
