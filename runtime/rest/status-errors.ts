// The API server's refusals as typed errors: one class per reason, and the `isX` helpers that classify them.
import type { Status, StatusDetails } from "../api/objects.js";

/** Reason a `Status` gives when the server did not send one, derived from the HTTP code (as client-go does). */
const REASON_BY_CODE: Readonly<Record<number, string>> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  410: "Gone",
  413: "RequestEntityTooLarge",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** Where a failed request went; the URL never contains credentials (they travel in headers). */
export interface RequestContext {
  method: string;
  url: string;
}

/**
 * The API server refused a request: a `Status` body or any non-2xx answer. `reason` is the server's
 * machine-readable reason (`NotFound`, `AlreadyExists`, `Conflict`, `Forbidden`, `Invalid`, `Expired`, ...).
 */
export class StatusError extends Error {
  override readonly name: string = "StatusError";
  /** HTTP status code (or `Status.code` for watch ERROR events). */
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  /** The `Status` body as the server sent it (synthesized when the body was not a Status). */
  readonly status: Status;
  readonly method: string;
  readonly url: string;
  constructor(status: Status, context: RequestContext) {
    const code = status.code ?? 0;
    const reason = status.reason || REASON_BY_CODE[code] || "Unknown";
    const message = status.message || `the server answered ${code} ${reason}`;
    super(`${context.method} ${context.url}: ${code} ${reason}: ${message}`);
    this.code = code;
    this.reason = reason;
    this.details = status.details;
    this.status = status;
    this.method = context.method;
    this.url = context.url;
  }
  /** The server's own message, without method and URL. */
  get serverMessage(): string {
    return this.status.message ?? "";
  }
}

/** 401: the credentials were missing, wrong or expired. */
export class UnauthorizedError extends StatusError {
  override readonly name = "UnauthorizedError";
}
/** 403: authenticated, but RBAC (or admission) does not allow this verb on this resource. */
export class ForbiddenError extends StatusError {
  override readonly name = "ForbiddenError";
}
/** 404: no such object (or no such resource type / namespace). */
export class NotFoundError extends StatusError {
  override readonly name = "NotFoundError";
}
/** 409 `AlreadyExists`: create of a name that is taken. */
export class AlreadyExistsError extends StatusError {
  override readonly name = "AlreadyExistsError";
}
/** 409 `Conflict`: stale resourceVersion, failed precondition, or apply field conflict; re-read and retry. */
export class ConflictError extends StatusError {
  override readonly name = "ConflictError";
}
/** 410 `Gone`/`Expired`: the resourceVersion or continue token is too old; relist. */
export class GoneError extends StatusError {
  override readonly name = "GoneError";
}
/** 422 `Invalid`: the object failed validation; `details.causes` names the fields. */
export class InvalidError extends StatusError {
  override readonly name = "InvalidError";
}
/** 429: rate limited (after the transport's own retries); `details.retryAfterSeconds` may say when to retry. */
export class TooManyRequestsError extends StatusError {
  override readonly name = "TooManyRequestsError";
}

type StatusErrorClass = new (status: Status, context: RequestContext) => StatusError;

function errorClassFor(code: number, reason: string | undefined): StatusErrorClass {
  switch (reason) {
    case "AlreadyExists":
      return AlreadyExistsError;
    case "Conflict":
      return ConflictError;
    case "Gone":
    case "Expired":
      return GoneError;
    case "Invalid":
      return InvalidError;
  }
  switch (code) {
    case 401:
      return UnauthorizedError;
    case 403:
      return ForbiddenError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 410:
      return GoneError;
    case 422:
      return InvalidError;
    case 429:
      return TooManyRequestsError;
    default:
      return StatusError;
  }
}

function isStatusObject(value: unknown): value is Status {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "Status";
}

const MAX_MESSAGE_BODY = 500;

/**
 * Maps a failed answer to the matching `StatusError` subclass. `body` is the raw response text: a `Status`
 * JSON is used as is, anything else (HTML from a proxy, plain text) becomes the message, shortened.
 */
export function statusErrorFromResponse(statusCode: number, body: string, context: RequestContext): StatusError {
  let status: Status | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (isStatusObject(parsed)) status = { ...parsed, code: parsed.code || statusCode };
  } catch {
    // Not JSON: keep the text as the message below.
  }
  if (!status) {
    const text = body.trim();
    status = {
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      code: statusCode,
      reason: REASON_BY_CODE[statusCode] ?? "Unknown",
      message: text.length > MAX_MESSAGE_BODY ? `${text.slice(0, MAX_MESSAGE_BODY)}…` : text || `the server answered ${statusCode}`,
    };
  }
  return statusErrorFromStatus(status, context);
}

/** Maps a `Status` object (e.g. from a watch ERROR event) to the matching `StatusError` subclass. */
export function statusErrorFromStatus(status: Status, context: RequestContext): StatusError {
  const ErrorClass = errorClassFor(status.code ?? 0, status.reason);
  return new ErrorClass(status, context);
}

function reasonOrCode(error: unknown, reason: string, code: number | undefined): boolean {
  if (!(error instanceof StatusError)) return false;
  if (error.reason === reason) return true;
  // A reason the server did not spell out falls back to the code, as client-go's ReasonForError does.
  return code !== undefined && error.code === code && !(error.status.reason ?? "");
}

/** True for 404 NotFound. */
export const isNotFound = (error: unknown): error is StatusError => reasonOrCode(error, "NotFound", 404);
/** True for 409 AlreadyExists (create of a taken name). */
export const isAlreadyExists = (error: unknown): error is StatusError => reasonOrCode(error, "AlreadyExists", undefined);
/** True for 409 Conflict (stale resourceVersion, precondition, apply conflict). */
export const isConflict = (error: unknown): error is StatusError => reasonOrCode(error, "Conflict", 409);
/** True for 403 Forbidden. */
export const isForbidden = (error: unknown): error is StatusError => reasonOrCode(error, "Forbidden", 403);
/** True for 401 Unauthorized. */
export const isUnauthorized = (error: unknown): error is StatusError => reasonOrCode(error, "Unauthorized", 401);
/** True for 410 Gone or reason Expired (too-old resourceVersion or continue token): relist. */
export const isGone = (error: unknown): error is StatusError =>
  reasonOrCode(error, "Gone", 410) || reasonOrCode(error, "Expired", undefined) || (error instanceof StatusError && error.code === 410);
/** True for 422 Invalid. */
export const isInvalid = (error: unknown): error is StatusError => reasonOrCode(error, "Invalid", 422);
/** True for 429 TooManyRequests. */
export const isTooManyRequests = (error: unknown): error is StatusError => reasonOrCode(error, "TooManyRequests", 429);

/** A 2xx answer whose body could not be decoded as the requested format (e.g. HTML from a proxy). */
export class ResponseDecodeError extends Error {
  override readonly name = "ResponseDecodeError";
}
