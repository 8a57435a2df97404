// One verb on one resource as a finished request: the single place that decides method, path, headers and body.
import { buildResourcePath, type ResourcePathParts } from "./path.js";
import { buildQuery, type QueryParams } from "./query.js";
import { patchContentType, serializePatch, type PatchType } from "./patch.js";
import { RequestValidationError } from "./validation.js";
import type { HttpMethod } from "./method.js";

/** A request ready for a transport, sent as it is: absolute path with query, headers, serialized body. */
export interface BuiltRequest<Body extends string | Uint8Array = string | Uint8Array> {
  method: HttpMethod;
  /** Absolute path including the query string, e.g. `/api/v1/namespaces/default/configmaps?limit=5`. */
  path: string;
  headers: Record<string, string>;
  body?: Body;
}

/** The resource a request is about: descriptor coordinates, namespace and subresource (no name). */
export type ResourceTarget = Omit<ResourcePathParts, "name">;

/** Options of a single delete, sent as a `DeleteOptions` body (the only place `preconditions` fit). */
export interface DeleteOptions {
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  gracePeriodSeconds?: number;
  dryRun?: "All";
  /** Delete only if the object still has this uid / resourceVersion (else 409 Conflict). */
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** One verb on a resource, with exactly the inputs that verb needs. */
export type ResourceRequest =
  | { verb: "get"; name: string; query?: QueryParams }
  | { verb: "list"; query?: QueryParams }
  | { verb: "watch"; query?: QueryParams }
  /** `name` is the parent object for subresource creates (`pods/<name>/eviction`, `serviceaccounts/<name>/token`). */
  | { verb: "create"; body: unknown; name?: string; query?: QueryParams }
  | { verb: "update"; name: string; body: unknown; query?: QueryParams }
  | { verb: "patch"; name: string; patch: unknown; patchType?: PatchType; query?: QueryParams }
  | { verb: "delete"; name: string; options?: DeleteOptions; query?: QueryParams }
  | { verb: "deletecollection"; options?: DeleteOptions; query?: QueryParams };

const JSON_TYPE = "application/json";

function serializeBody(body: unknown): string {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new RequestValidationError("body", "expected a Kubernetes object (a JSON object)");
  }
  return JSON.stringify(body);
}

function deleteOptionsBody(options: DeleteOptions | undefined): string | undefined {
  if (!options) return undefined;
  const { propagationPolicy, gracePeriodSeconds, dryRun, preconditions } = options;
  if (gracePeriodSeconds !== undefined && (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0)) {
    throw new RequestValidationError("gracePeriodSeconds", `${gracePeriodSeconds} is not a non-negative integer`);
  }
  if (dryRun !== undefined && dryRun !== "All") {
    throw new RequestValidationError("dryRun", `${JSON.stringify(dryRun)} is not supported; the only value is "All"`);
  }
  const body = {
    kind: "DeleteOptions",
    apiVersion: "v1",
    ...(propagationPolicy !== undefined && { propagationPolicy }),
    ...(gracePeriodSeconds !== undefined && { gracePeriodSeconds }),
    ...(dryRun !== undefined && { dryRun: [dryRun] }),
    ...(preconditions !== undefined && { preconditions }),
  };
  return Object.keys(body).length > 2 ? JSON.stringify(body) : undefined;
}

function withBody(method: HttpMethod, path: string, body: string | undefined, contentType = JSON_TYPE): BuiltRequest<string> {
  const headers: Record<string, string> = { accept: JSON_TYPE };
  if (body === undefined) return { method, path, headers };
  headers["content-type"] = contentType;
  return { method, path, headers, body };
}

/**
 * Turns one verb on a resource into method, path, headers and body, with no IO, so every request
 * the client sends can be checked in a unit test.
 */
export function buildRequest(target: ResourceTarget, request: ResourceRequest): BuiltRequest<string> {
  const path = (name?: string) => buildResourcePath({ ...target, ...(name !== undefined && { name }) });
  switch (request.verb) {
    case "get":
      return withBody("GET", path(request.name) + buildQuery(request.query), undefined);
    case "list":
      return withBody("GET", path() + buildQuery({ ...request.query, watch: undefined }), undefined);
    case "watch":
      return withBody("GET", path() + buildQuery({ ...request.query, watch: true }), undefined);
    case "create":
      return withBody("POST", path(request.name) + buildQuery(request.query), serializeBody(request.body));
    case "update":
      return withBody("PUT", path(request.name) + buildQuery(request.query), serializeBody(request.body));
    case "patch": {
      const type = request.patchType ?? "merge";
      if (type === "apply" && !request.query?.fieldManager) {
        throw new RequestValidationError("fieldManager", "server-side apply needs a fieldManager naming who owns the applied fields");
      }
      return withBody("PATCH", path(request.name) + buildQuery(request.query), serializePatch(type, request.patch), patchContentType(type));
    }
    case "delete":
      return withBody("DELETE", path(request.name) + buildQuery(request.query), deleteOptionsBody(request.options));
    case "deletecollection":
      return withBody("DELETE", path() + buildQuery(request.query), deleteOptionsBody(request.options));
    default: {
      const unknown: never = request;
      throw new RequestValidationError("verb", `${JSON.stringify((unknown as { verb: unknown }).verb)} is not a Kubernetes verb`);
    }
  }
}
