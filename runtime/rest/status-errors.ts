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
  /** Said after the server's message: what the client knows about the cause (e.g. which credential a 401 rejected). */
  hint?: string;
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
    super(`${context.method} ${context.url}: ${code} ${reason}: ${message}${context.hint ? `; ${context.hint}` : ""}`);
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

// The class of a reason, so that each `isX` that holds for an error the runtime made also means `instanceof`.
const CLASS_BY_REASON: Readonly<Record<string, StatusErrorClass>> = {
  AlreadyExists: AlreadyExistsError,
  Conflict: ConflictError,
  Gone: GoneError,
  Expired: GoneError,
  Invalid: InvalidError,
  NotFound: NotFoundError,
  Forbidden: ForbiddenError,
  Unauthorized: UnauthorizedError,
  TooManyRequests: TooManyRequestsError,
};
const CLASS_BY_CODE: Readonly<Record<number, StatusErrorClass>> = {
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  410: GoneError,
  422: InvalidError,
  429: TooManyRequestsError,
};

function errorClassFor(code: number, reason: string | undefined): StatusErrorClass {
  // The reason decides, then the code. (A 410 whose reason names another class is the one case where two
  // tests hold, `isGone` and the reason's own; no server sends one.)
  return (reason && Object.hasOwn(CLASS_BY_REASON, reason) ? CLASS_BY_REASON[reason] : CLASS_BY_CODE[code]) ?? StatusError;
}

/** True for a `Status` object (`kind: "Status"`): what `delete`/`deletecollection` answer instead of the object(s) when nothing is left to show. */
export function isStatus(value: unknown): value is Status {
  return isStatusObject(value);
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

// Each `isX` narrows to its class: the runtime makes that class whenever the test holds (see errorClassFor).
/** True for 404 NotFound. */
export const isNotFound = (error: unknown): error is NotFoundError => reasonOrCode(error, "NotFound", 404);
/** True for 409 AlreadyExists (create of a taken name). */
export const isAlreadyExists = (error: unknown): error is AlreadyExistsError => reasonOrCode(error, "AlreadyExists", undefined);
/** True for 409 Conflict (stale resourceVersion, precondition, apply conflict). */
export const isConflict = (error: unknown): error is ConflictError => reasonOrCode(error, "Conflict", 409);
/** True for 403 Forbidden. */
export const isForbidden = (error: unknown): error is ForbiddenError => reasonOrCode(error, "Forbidden", 403);
/** True for 401 Unauthorized. */
export const isUnauthorized = (error: unknown): error is UnauthorizedError => reasonOrCode(error, "Unauthorized", 401);
/** True for 410 Gone or reason Expired (too-old resourceVersion or continue token): relist. */
export const isGone = (error: unknown): error is GoneError =>
  reasonOrCode(error, "Gone", 410) || reasonOrCode(error, "Expired", undefined) || (error instanceof StatusError && error.code === 410);
/** True for 422 Invalid. */
export const isInvalid = (error: unknown): error is InvalidError => reasonOrCode(error, "Invalid", 422);
/** True for 429 TooManyRequests. */
export const isTooManyRequests = (error: unknown): error is TooManyRequestsError => reasonOrCode(error, "TooManyRequests", 429);

/** A 2xx answer whose body could not be decoded as the requested format (e.g. HTML from a proxy). */
export class ResponseDecodeError extends Error {
  override readonly name = "ResponseDecodeError";
}
