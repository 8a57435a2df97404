// What the controller room needs from a cluster: resource clients by descriptor. `KubeClient` fits; this room never imports it.
import type { ResourceDescriptor } from "../api/descriptor.js";
import type { ResourceClient } from "../client/resource-types.js";

/** Anything that makes resource clients from descriptors, like `KubeClient` (`kube.resource(descriptor)`). */
export interface ResourceFactory {
  resource<const R extends ResourceDescriptor>(descriptor: R): ResourceClient<R>;
}

/**
 * The type of a tool's `kube` parameter, `K` being the argument's own type: the argument when it makes clients (a
 * `ResourceFactory`); else `Message`, saying what to pass instead (the usual slip: a resource client for kube).
 */
export type FactoryNeeding<K, Message extends string> = K extends ResourceFactory ? K : [keyof K] extends [never] ? ResourceFactory : Message;

/** An error's message, for messages of our own. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where the controller room reports what it cannot throw to anyone, unless the caller gives an `onError`. */
export function warn(message: string): void {
  process.emitWarning(message, { type: "KubetypedWarning" });
}
