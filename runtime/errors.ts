// Every error the runtime throws and the helpers that classify them: the public index re-exports this file whole.
export {
  StatusError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  AlreadyExistsError,
  ConflictError,
  GoneError,
  InvalidError,
  TooManyRequestsError,
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
  type RequestContext,
} from "./rest/status-errors.js";
export { RequestValidationError } from "./request/validation.js";
export { NetworkError, TlsError, TimeoutError } from "./transport/errors.js";
export { ConfigError } from "./config/errors.js";
export { AuthError } from "./auth/errors.js";
export { WatchDecodeError, WatchEventTooLargeError } from "./watch/decode.js";
export { RelistLoopError } from "./informer/index.js";
export { WaitTimeoutError, JobFailedError } from "./controller/index.js";
