// create, update, patch and server-side apply: the verbs that write a resource (or one of its subresources).
import { buildRequest, patchTypeOf } from "../request/build.js";
import { StatusError } from "../rest/status-errors.js";
import type { AnyOptions, ResourceContext } from "./context.js";

/** `create`; the namespace comes from options, then the body, then the client. */
export function createVerb({ rest, base }: ResourceContext) {
  return async (body: unknown, options?: AnyOptions) => rest.json(buildRequest(base, { verb: "create", body, options }), options);
}

/** `create` on subresource `subresource` of object `parent` (`pods/<name>/eviction`, `serviceaccounts/<name>/token`). */
export function createOnVerb({ rest, base }: ResourceContext, subresource: string) {
  return async (parent: string, body: unknown, options?: AnyOptions) => rest.json(buildRequest(base, { verb: "create", name: parent, subresource, body, options }), options);
}

/** `update` of the object named by `body.metadata.name`, or of its `subresource`. */
export function updateVerb({ rest, base }: ResourceContext, subresource?: string) {
  return async (body: unknown, options?: AnyOptions) => rest.json(buildRequest(base, { verb: "update", body, subresource, options }), options);
}

/** `patch` of the object or its `subresource`; `options.type` picks the strategy (default merge). */
export function patchVerb({ rest, base }: ResourceContext, subresource?: string) {
  return async (name: string, patch: unknown, options?: AnyOptions) =>
    rest.json(buildRequest(base, { verb: "patch", name, patch, subresource, options }), options).catch((error: unknown) => {
      throw patchTypeOf(options) === "strategic" ? explainStrategicRefusal(error, base.label) : error;
    });
}

/** Server-side `apply` of `body` (name from `body.metadata.name`); `fieldManager` is required. */
export function applyVerb({ rest, base }: ResourceContext) {
  return async (body: unknown, options?: AnyOptions) => rest.json(buildRequest(base, { verb: "apply", body, options }), options);
}

/**
 * 415 to a strategic-merge patch means the resource has no Go struct tags to merge by: custom resources
 * (and aggregated APIs) never support it. Say so, instead of only listing the accepted media types.
 */
function explainStrategicRefusal(error: unknown, label: string): unknown {
  if (!(error instanceof StatusError) || error.code !== 415) return error;
  const message = `strategic merge patch is not supported for ${label}: custom resources do not support it; use type "merge" (or "json") or server-side apply. The server said: ${error.serverMessage}`;
  return new StatusError({ ...error.status, message }, { method: error.method, url: error.url });
}
