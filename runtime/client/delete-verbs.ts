// delete and deletecollection, whose propagation, grace period and preconditions travel in a DeleteOptions body.
import { buildRequest } from "../request/build.js";
import type { AnyOptions, ResourceContext } from "./context.js";

/** `delete` of one object by name. */
export function deleteVerb({ rest, base }: ResourceContext) {
  return async (name: string, options?: AnyOptions) => rest.json(buildRequest(base, { verb: "delete", name, options }), options);
}

/** `deletecollection`: every object the selectors match. */
export function deleteCollectionVerb({ rest, base }: ResourceContext) {
  return async (options?: AnyOptions) => rest.json(buildRequest(base, { verb: "deletecollection", options }), options);
}
