// What the controller room needs from a cluster: resource clients by descriptor. `KubeClient` fits; this room never imports it.
import type { ResourceDescriptor } from "../api/descriptor.js";
import type { ResourceClient } from "../client/resource-types.js";

/** Anything that makes resource clients from descriptors, like `KubeClient` (`kube.resource(descriptor)`). */
export interface ResourceFactory {
  resource<const R extends ResourceDescriptor>(descriptor: R): ResourceClient<R>;
}

/** A resource or metadata client: what is passed for `kube` by the usual slip. */
type AnyClient = { readonly descriptor: ResourceDescriptor };

/**
 * The type of a tool's `kube` parameter, `K` being the argument's own type: the argument when it makes clients (a
 * `ResourceFactory`) or is a client (the options say so, see `OptionsBeside`); else `Message`, saying what to pass.
 */
export type FactoryNeeding<K, Message extends string> = K extends ResourceFactory | AnyClient ? K : [keyof K] extends [never] ? ResourceFactory : Message;

/**
 * The type of the options beside a tool's `kube`: `Options`; when `kube` is a client, `Options` whose required
 * `Key` is `Message`. The slip is told there because a message at `kube` starts with the client's whole type (300+
 * characters for a Pod's), and at one property the message stays short; the other options (callbacks) keep their types.
 */
export type OptionsBeside<K, Options, Key extends keyof Options, Message extends string> = K extends AnyClient ? Omit<Options, Key> & { [P in Key]: Message } : Options;

/** An error's message, for messages of our own. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where the controller room reports what it cannot throw to anyone, unless the caller gives an `onError`. */
export function warn(message: string): void {
  process.emitWarning(message, { type: "KubetypedWarning" });
}
