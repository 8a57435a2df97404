// Every error the front door exports (runtime/index.ts re-exports this file whole): a refusal of the server is one
// `StatusError` with its reason; the controller tools' and the streams' errors are in their own entry points.
export {
  StatusError,
  ResponseDecodeError,
  isNotFound,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isUnauthorized,
  isGone,
  isInvalid,
  isTooManyRequests,
  isStatus,
} from "./rest/status-errors.js";
export { ExpiredContinueError } from "./watch/paginate.js";
export { RequestValidationError } from "./request/validation.js";
export { NetworkError, TlsError, TimeoutError } from "./transport/errors.js";
export { ConfigError } from "./config/errors.js";
export { AuthError } from "./auth/errors.js";
export { WatchDecodeError, WatchEventTooLargeError } from "./watch/decode.js";
export { RuntimeVersionError } from "./core/version.js";
export { NoValidationSchemaError } from "./validate/attach.js";
