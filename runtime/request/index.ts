export { RequestValidationError, validateName, validateNamespace, validateSubresource, validatePathSegment } from "./validation.js";
export { buildResourcePath, buildGroupVersionPath, encodePathSegment, type ResourcePathParts } from "./path.js";
export { buildQuery, type QueryOptions, type QueryParams, type QueryValue } from "./query.js";
export { PATCH_CONTENT_TYPES, patchContentType, serializePatch, type PatchType } from "./patch.js";
export { buildRequest, type BuiltRequest, type DeleteOptions, type ReadView, type ResourceRequest, type ResourceTarget } from "./build.js";
export { buildRawRequest, appendQuery, type AnswerKind, type RawRequest } from "./raw.js";
export { IDEMPOTENT_METHODS, type HttpMethod } from "./method.js";
export { apiVersionOf, groupVersionKey, groupVersionUrlPath } from "../core/group-version.js";
