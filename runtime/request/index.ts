export { RequestValidationError, validateName, validateNamespace, validateSubresource, validatePathSegment } from "./validation.js";
export { addressPath, buildResourcePath, buildGroupVersionPath, collectionAddress, encodePathSegment, type CollectionAddress, type ResourcePathParts } from "./path.js";
export { buildQuery, type QueryOptions, type QueryParams, type QueryValue } from "./query.js";
export { PATCH_CONTENT_TYPES, patchContentType, serializePatch, type PatchType } from "./patch.js";
export { createRequestBase, type RequestBase, type ResourceCoordinates } from "./base.js";
export { buildRequest, namespaceOf, requestPath, type BuiltRequest, type DeleteOptions, type ReadView, type ResourceCall, type VerbOptions } from "./build.js";
export { buildRawRequest, appendQuery, type AnswerKind, type RawRequest } from "./raw.js";
export { IDEMPOTENT_METHODS, type HttpMethod } from "./method.js";
export { apiVersionOf, groupVersionKey, groupVersionUrlPath } from "../core/group-version.js";
