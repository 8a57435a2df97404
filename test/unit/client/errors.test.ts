import { describe, expect, it } from "vitest";
import {
  AlreadyExistsError,
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidError,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isStatus,
  isTooManyRequests,
  isUnauthorized,
  NotFoundError,
  StatusError,
  TooManyRequestsError,
  UnauthorizedError,
} from "../../../runtime/errors.js";
import { statusErrorFromResponse, statusErrorFromStatus } from "../../../runtime/rest/status-errors.js";

const context = { method: "GET", url: "https://127.0.0.1:6443/api/v1/namespaces/default/configmaps/x" };

function status(code: number, reason: string, message = `${reason} happened`, details?: object): string {
  return JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code, ...(details && { details }) });
}

describe("statusErrorFromResponse", () => {
  it("keeps the Status fields and names method and URL", () => {
    const error = statusErrorFromResponse(404, status(404, "NotFound", 'configmaps "x" not found', { name: "x", kind: "configmaps" }), context);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(StatusError);
    expect(error.code).toBe(404);
    expect(error.reason).toBe("NotFound");
    expect(error.details).toEqual({ name: "x", kind: "configmaps" });
    expect(error.status.message).toBe('configmaps "x" not found');
    expect(error.method).toBe("GET");
    expect(error.url).toBe(context.url);
    expect(error.message).toBe(`GET ${context.url}: 404 NotFound: configmaps "x" not found`);
  });

  it.each([
    [401, "Unauthorized", UnauthorizedError, isUnauthorized],
    [403, "Forbidden", ForbiddenError, isForbidden],
    [404, "NotFound", NotFoundError, isNotFound],
    [409, "AlreadyExists", AlreadyExistsError, isAlreadyExists],
    [409, "Conflict", ConflictError, isConflict],
    [410, "Gone", GoneError, isGone],
    [410, "Expired", GoneError, isGone],
    [422, "Invalid", InvalidError, isInvalid],
    [429, "TooManyRequests", TooManyRequestsError, isTooManyRequests],
  ] as const)("%d %s maps to its class and helper", (code, reason, ErrorClass, helper) => {
    const error = statusErrorFromResponse(code, status(code, reason), context);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.name).toBe(ErrorClass.name);
    expect(helper(error)).toBe(true);
  });

  it("tells 401 from 403 and AlreadyExists from Conflict", () => {
    const unauthorized = statusErrorFromResponse(401, status(401, "Unauthorized"), context);
    const forbidden = statusErrorFromResponse(403, status(403, "Forbidden"), context);
    expect(isForbidden(unauthorized)).toBe(false);
    expect(isUnauthorized(forbidden)).toBe(false);
    const exists = statusErrorFromResponse(409, status(409, "AlreadyExists"), context);
    const conflict = statusErrorFromResponse(409, status(409, "Conflict"), context);
    expect(isConflict(exists)).toBe(false);
    expect(isAlreadyExists(conflict)).toBe(false);
  });

  it("Expired on a 410 counts as gone; helpers reject anything that is not a StatusError", () => {
    expect(isGone(statusErrorFromResponse(410, status(410, "Expired", "too old resource version"), context))).toBe(true);
    expect(isNotFound(new Error("not found"))).toBe(false);
    expect(isNotFound({ code: 404, reason: "NotFound" })).toBe(false);
    expect(isNotFound(undefined)).toBe(false);
  });

  it("derives the reason from the code when the body is not a Status", () => {
    const error = statusErrorFromResponse(403, "<html>denied by proxy</html>", context);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.reason).toBe("Forbidden");
    expect(error.message).toContain("<html>denied by proxy</html>");
    expect(isForbidden(error)).toBe(true);
    const empty = statusErrorFromResponse(502, "", context);
    expect(empty.reason).toBe("Unknown");
    expect(empty.code).toBe(502);
    expect(empty.message).toContain("the server answered 502");
  });

  it("shortens a long non-Status body", () => {
    const error = statusErrorFromResponse(500, "x".repeat(5000), context);
    expect(error.message.length).toBeLessThan(700);
    expect(error.reason).toBe("InternalError");
  });

  it("fills a missing code from the HTTP status and keeps an unknown reason", () => {
    const error = statusErrorFromResponse(422, JSON.stringify({ kind: "Status", reason: "FieldValueInvalid", message: "bad" }), context);
    expect(error.code).toBe(422);
    expect(error.reason).toBe("FieldValueInvalid");
    expect(error).toBeInstanceOf(InvalidError);
    expect(isInvalid(error)).toBe(false);
  });
});

describe("statusErrorFromStatus", () => {
  it("maps a watch ERROR event's Status", () => {
    const error = statusErrorFromStatus({ kind: "Status", status: "Failure", code: 410, reason: "Expired", message: "too old resource version: 1 (50)" }, { method: "GET", url: "u" });
    expect(error).toBeInstanceOf(GoneError);
    expect(isGone(error)).toBe(true);
    expect(error.message).toBe("GET u: 410 Expired: too old resource version: 1 (50)");
  });
});

describe("each isX means its class (the helpers narrow to it)", () => {
  const helpers = [
    [isUnauthorized, UnauthorizedError],
    [isForbidden, ForbiddenError],
    [isNotFound, NotFoundError],
    [isAlreadyExists, AlreadyExistsError],
    [isConflict, ConflictError],
    [isGone, GoneError],
    [isInvalid, InvalidError],
    [isTooManyRequests, TooManyRequestsError],
  ] as const;
  const reasons = ["", "Unauthorized", "Forbidden", "NotFound", "AlreadyExists", "Conflict", "Gone", "Expired", "Invalid", "TooManyRequests", "BadRequest", "Teapot"];
  const codes = [0, 400, 401, 403, 404, 409, 422, 429, 500, 503];

  it("for every reason the server may send with any code but 410, a helper that holds has its class made", () => {
    for (const code of codes) {
      for (const reason of reasons) {
        const error = statusErrorFromStatus({ kind: "Status", code, ...(reason && { reason }) }, context);
        for (const [helper, ErrorClass] of helpers) {
          if (helper(error)) expect(error, `${code} ${reason || "(no reason)"} ${helper.name}`).toBeInstanceOf(ErrorClass);
        }
      }
    }
  });

  it("a reason picks the class even when the code says otherwise (it did so only for some reasons)", () => {
    const forbidden = statusErrorFromStatus({ kind: "Status", code: 500, reason: "Forbidden" }, context);
    expect(forbidden).toBeInstanceOf(ForbiddenError);
    expect(isForbidden(forbidden)).toBe(true);
    expect(statusErrorFromStatus({ kind: "Status", code: 0, reason: "NotFound" }, context)).toBeInstanceOf(NotFoundError);
    expect(statusErrorFromStatus({ kind: "Status", code: 404 }, context)).toBeInstanceOf(NotFoundError);
  });
});

describe("isStatus", () => {
  it("tells a Status answer from an object", () => {
    expect(isStatus({ kind: "Status", apiVersion: "v1", status: "Success" })).toBe(true);
    expect(isStatus({ kind: "Pod", metadata: { name: "web" } })).toBe(false);
    expect(isStatus({ metadata: { name: "web" } })).toBe(false);
    expect(isStatus(null)).toBe(false);
    expect(isStatus("Status")).toBe(false);
  });
});
