// delete and deletecollection, whose propagation, grace period and preconditions travel in a DeleteOptions body.
import { buildRequest, type ResourceRequest } from "../request/build.js";
import { DELETE_OPTION_KEYS, deleteOptionsFrom, queryFrom } from "./call-options.js";
import type { AnyOptions, ResourceContext } from "./context.js";

/** `delete` of one object by name. */
export function deleteVerb(context: ResourceContext) {
  return async (name: string, options?: AnyOptions) => {
    const request: ResourceRequest = { verb: "delete", name, options: deleteOptionsFrom(options), query: queryFrom(options, DELETE_OPTION_KEYS) };
    return context.send(buildRequest(context.target(context.namespaceFor(options)), request), options);
  };
}

/** `deletecollection`: every object the selectors match. */
export function deleteCollectionVerb(context: ResourceContext) {
  return async (options?: AnyOptions) => {
    const request: ResourceRequest = { verb: "deletecollection", options: deleteOptionsFrom(options), query: queryFrom(options, DELETE_OPTION_KEYS) };
    return context.send(buildRequest(context.target(context.namespaceFor(options)), request), options);
  };
}
