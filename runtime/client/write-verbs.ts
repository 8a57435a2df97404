// create, update, patch and server-side apply: the verbs that write a resource (or one of its subresources).
import { buildRequest, type ResourceRequest } from "../request/build.js";
import { RequestValidationError } from "../request/validation.js";
import { StatusError } from "../rest/status-errors.js";
import { metadataOf, nameFromBody, withTypeMeta } from "./body.js";
import { queryFrom } from "./call-options.js";
import type { AnyOptions, ResourceContext } from "./context.js";

/** The type a body is filled in with: the resource's own, or a subresource's (Scale). */
export interface BodyType {
  apiVersion: string;
  kind: string | undefined;
}

/** `create`; the namespace comes from options, then the body, then the client. */
export function createVerb(context: ResourceContext) {
  return async (body: unknown, options?: AnyOptions) => {
    const namespace = context.namespaceFor(options, metadataOf(body, "create").namespace);
    const request: ResourceRequest = { verb: "create", body: withTypeMeta(body, context.apiVersion, context.descriptor.kind), query: queryFrom(options) };
    return context.send(buildRequest(context.target(namespace), request), options);
  };
}

/** `update` of the object named by `body.metadata.name`, or of its `subresource`. */
export function updateVerb(context: ResourceContext, subresource?: string, bodyType: BodyType = { apiVersion: context.apiVersion, kind: context.descriptor.kind }) {
  return async (body: unknown, options?: AnyOptions) => {
    const name = nameFromBody(body, "update");
    const namespace = context.namespaceFor(options, metadataOf(body, "update").namespace);
    const request: ResourceRequest = { verb: "update", name, body: withTypeMeta(body, bodyType.apiVersion, bodyType.kind), query: queryFrom(options) };
    return context.send(buildRequest(context.target(namespace, subresource), request), options);
  };
}

/** `patch` of the object or its `subresource`; `options.type` picks the strategy (default merge). */
export function patchVerb(context: ResourceContext, subresource?: string) {
  return async (name: string, patch: unknown, options?: AnyOptions) => {
    const patchType = options?.type ?? "merge";
    const request: ResourceRequest = { verb: "patch", name, patch, patchType, query: queryFrom(options) };
    return context.send(buildRequest(context.target(context.namespaceFor(options), subresource), request), options).catch((error: unknown) => {
      throw patchType === "strategic" ? explainStrategicRefusal(error, context.label) : error;
    });
  };
}

/** Server-side `apply` of `body` (name from `body.metadata.name`); `fieldManager` is required. */
export function applyVerb(context: ResourceContext) {
  return async (body: unknown, options?: AnyOptions) => {
    if (!options?.fieldManager) throw new RequestValidationError("fieldManager", "apply needs options.fieldManager naming who owns the applied fields");
    const name = nameFromBody(body, "apply");
    const namespace = context.namespaceFor(options, metadataOf(body, "apply").namespace);
    const patch = withTypeMeta(body, context.apiVersion, context.descriptor.kind);
    const request: ResourceRequest = { verb: "patch", name, patch, patchType: "apply", query: queryFrom(options) };
    return context.send(buildRequest(context.target(namespace), request), options);
  };
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
