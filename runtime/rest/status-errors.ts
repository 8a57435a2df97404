// The API server's refusals as one typed error carrying the server's reason, and the `isX` helpers that classify them.
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
 * machine-readable reason (`NotFound`, `AlreadyExists`, `Conflict`, `Forbidden`, `Invalid`, `Expired`, ...);
 * `isNotFound(error)`, `isConflict(error)`, ... test it. One class for every reason, as client-go's `StatusError`.
 */
export class StatusError extends Error {
  override readonly name: string = "StatusError";
  /** HTTP status code (or `Status.code` for watch ERROR events). */
  readonly code: number;
  /** The server's reason, or the one its code implies when it gave none (404 → `NotFound`, as client-go derives it). */
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

/** True for a `Status` object (`kind: "Status"`): what `delete`/`deletecollection` answer instead of the object(s) when nothing is left to show. */
export function isStatus(value: unknown): value is Status {
  return isStatusObject(value);
}

function isStatusObject(value: unknown): value is Status {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "Status";
}

const MAX_MESSAGE_BODY = 500;

/**
 * Maps a failed answer to a `StatusError`. `body` is the raw response text: a `Status`
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

/** Maps a `Status` object (e.g. from a watch ERROR event) to a `StatusError`. */
export function statusErrorFromStatus(status: Status, context: RequestContext): StatusError {
  return new StatusError(status, context);
}

function reasonOrCode(error: unknown, reason: string, code: number | undefined): boolean {
  if (!(error instanceof StatusError)) return false;
  if (error.reason === reason) return true;
  // A reason the server did not spell out falls back to the code, as client-go's ReasonForError does.
  return code !== undefined && error.code === code && !(error.status.reason ?? "");
}

// Each `isX` tests the reason, as client-go's IsNotFound does, and narrows to the one error class.
/** True for 404 NotFound. */
export const isNotFound = (error: unknown): error is StatusError => reasonOrCode(error, "NotFound", 404);
/** True for 409 AlreadyExists (create of a taken name). */
export const isAlreadyExists = (error: unknown): error is StatusError => reasonOrCode(error, "AlreadyExists", undefined);
/** True for 409 Conflict (stale resourceVersion, precondition, apply conflict): re-read and retry. */
export const isConflict = (error: unknown): error is StatusError => reasonOrCode(error, "Conflict", 409);
/** True for 403 Forbidden: authenticated, but RBAC (or admission) does not allow this verb on this resource. */
export const isForbidden = (error: unknown): error is StatusError => reasonOrCode(error, "Forbidden", 403);
/** True for 401 Unauthorized: the credentials were missing, wrong or expired. */
export const isUnauthorized = (error: unknown): error is StatusError => reasonOrCode(error, "Unauthorized", 401);
/** True for 410 Gone or reason Expired (too-old resourceVersion or continue token): relist. */
export const isGone = (error: unknown): error is StatusError =>
  reasonOrCode(error, "Gone", 410) || reasonOrCode(error, "Expired", undefined) || (error instanceof StatusError && error.code === 410);
/** True for 422 Invalid: the object failed validation; `details.causes` names the fields. */
export const isInvalid = (error: unknown): error is StatusError => reasonOrCode(error, "Invalid", 422);
/** True for 429 TooManyRequests (after the transport's own retries); `details.retryAfterSeconds` may say when to retry. */
export const isTooManyRequests = (error: unknown): error is StatusError => reasonOrCode(error, "TooManyRequests", 429);

/** A 2xx answer whose body could not be decoded as the requested format (e.g. HTML from a proxy). */
export class ResponseDecodeError extends Error {
  override readonly name = "ResponseDecodeError";
}
