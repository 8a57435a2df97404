// What every verb of one resource client shares: the REST client, the descriptor, its scope rules and how a call is sent.
import type { ResourceDescriptor } from "../api/descriptor.js";
import { apiVersionOf, groupVersionKey } from "../core/group-version.js";
import type { BuiltRequest, ResourceTarget } from "../request/build.js";
import type { PatchType } from "../request/patch.js";
import { RequestValidationError } from "../request/validation.js";
import type { RestClient } from "../rest/types.js";

/** Options as the run time sees them: the union of every method's options. */
export interface AnyOptions {
  namespace?: string;
  allNamespaces?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  type?: PatchType;
  [option: string]: unknown;
}

/** One resource client's shared state; each verb family is a function of it. */
export interface ResourceContext {
  readonly rest: RestClient;
  readonly descriptor: ResourceDescriptor;
  /** The object's `apiVersion`, filled into bodies that leave it out. */
  readonly apiVersion: string;
  /** `Kind (plural.group/version)`, for messages. */
  readonly label: string;
  /** The namespace a call goes to: options, then the body, then the client's default; none when cluster-scoped or all namespaces. */
  namespaceFor(options: AnyOptions | undefined, bodyNamespace?: string): string | undefined;
  /** The collection (or, with `subresource`, an object's subresource) a request addresses. */
  target(namespace: string | undefined, subresource?: string): ResourceTarget;
  /** Sends a built request with the call's signal and timeout and parses the JSON answer. */
  send<T>(built: BuiltRequest, options: AnyOptions | undefined): Promise<T>;
}

export function createResourceContext(rest: RestClient, descriptor: ResourceDescriptor): ResourceContext {
  const label = `${descriptor.kind} (${descriptor.plural}.${groupVersionKey(descriptor.group, descriptor.version)})`;
  return {
    rest,
    descriptor,
    apiVersion: apiVersionOf(descriptor.group, descriptor.version),
    label,
    namespaceFor: (options, bodyNamespace) => namespaceFor(descriptor.namespaced, label, rest.namespace, options, bodyNamespace),
    target: (namespace, subresource) => ({
      group: descriptor.group,
      version: descriptor.version,
      plural: descriptor.plural,
      ...(namespace !== undefined && { namespace }),
      ...(subresource !== undefined && { subresource }),
    }),
    send: <T>(built: BuiltRequest, options: AnyOptions | undefined) =>
      rest.json<T>(built, {
        ...(options?.signal && { signal: options.signal }),
        ...(options?.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      }),
  };
}

function namespaceFor(namespaced: boolean, label: string, fallback: string, options: AnyOptions | undefined, bodyNamespace: string | undefined): string | undefined {
  if (!namespaced) {
    if (options?.namespace !== undefined) throw new RequestValidationError("namespace", `${label} is cluster-scoped; remove the namespace option`);
    if (options?.allNamespaces) throw new RequestValidationError("allNamespaces", `${label} is cluster-scoped; remove allNamespaces`);
    return undefined;
  }
  if (options?.allNamespaces) {
    if (options.namespace !== undefined) throw new RequestValidationError("namespace", "give either namespace or allNamespaces, not both");
    return undefined;
  }
  return options?.namespace ?? bodyNamespace ?? fallback;
}
