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
  /**
   * A list read in pages (`limit`): its answer's items are decoded a batch at a time, so a walk over a big
   * collection (listAll, an informer's list) does not leave every finished page behind as one large string.
   */
  batchItems?: true;
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

/**
 * Reads may ask for the objects' metadata only (`PartialObjectMetadata`), as client-go's metadata client does:
 * the server then drops spec and status before answering, which keeps large collections small.
 */
export interface ReadView {
  metadataOnly?: boolean;
}

/** One verb on a resource, with exactly the inputs that verb needs. */
export type ResourceRequest =
  | ({ verb: "get"; name: string; query?: QueryParams } & ReadView)
  | ({ verb: "list"; query?: QueryParams } & ReadView)
  | ({ verb: "watch"; query?: QueryParams } & ReadView)
  /** `name` is the parent object for subresource creates (`pods/<name>/eviction`, `serviceaccounts/<name>/token`). */
  | { verb: "create"; body: unknown; name?: string; query?: QueryParams }
  | { verb: "update"; name: string; body: unknown; query?: QueryParams }
  | { verb: "patch"; name: string; patch: unknown; patchType?: PatchType; query?: QueryParams }
  | { verb: "delete"; name: string; options?: DeleteOptions; query?: QueryParams }
  | { verb: "deletecollection"; options?: DeleteOptions; query?: QueryParams };

const JSON_TYPE = "application/json";
// The server converts to meta.k8s.io/v1 PartialObjectMetadata(List); plain JSON stays acceptable for servers
// (aggregated APIs) that cannot, and the metadata client trims those answers itself.
const METADATA_ONLY_TYPE = `${JSON_TYPE};as=PartialObjectMetadata;g=meta.k8s.io;v=v1,${JSON_TYPE}`;
const METADATA_LIST_TYPE = `${JSON_TYPE};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,${JSON_TYPE}`;

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

function withBody(method: HttpMethod, path: string, body: string | undefined, contentType = JSON_TYPE, accept = JSON_TYPE): BuiltRequest<string> {
  const headers: Record<string, string> = { accept };
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
      return withBody("GET", path(request.name) + buildQuery(request.query), undefined, JSON_TYPE, request.metadataOnly ? METADATA_ONLY_TYPE : JSON_TYPE);
    case "list": {
      const built = withBody("GET", path() + buildQuery({ ...request.query, watch: undefined }), undefined, JSON_TYPE, request.metadataOnly ? METADATA_LIST_TYPE : JSON_TYPE);
      return request.query?.limit ? { ...built, batchItems: true } : built;
    }
    case "watch":
      // Each watch event carries one object, so a metadata-only watch asks for PartialObjectMetadata, not the list.
      return withBody("GET", path() + buildQuery({ ...request.query, watch: true }), undefined, JSON_TYPE, request.metadataOnly ? METADATA_ONLY_TYPE : JSON_TYPE);
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
