// What every verb of one resource client shares: the REST client, the descriptor and its request base.
import type { ResourceDescriptor } from "../api/descriptor.js";
import { createRequestBase, type RequestBase } from "../request/base.js";
import type { VerbOptions } from "../request/build.js";
import type { RestClient } from "../rest/types.js";

/** Options as the run time sees them: the union of every method's options. */
export type AnyOptions = VerbOptions;

/** One resource client's shared state, made once per client; each verb family is a function of it. */
export interface ResourceContext {
  readonly rest: RestClient;
  readonly descriptor: ResourceDescriptor;
  /** Collection path, types and namespace rule, validated when the client was made. */
  readonly base: RequestBase;
}

export function createResourceContext(rest: RestClient, descriptor: ResourceDescriptor, defaultNamespace: string): ResourceContext {
  return { rest, descriptor, base: createRequestBase(descriptor, defaultNamespace) };
}
