import { describe, expect, it } from "vitest";
import {
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isStatus,
  isTooManyRequests,
  isUnauthorized,
  StatusError,
} from "../../../runtime/errors.js";
import { statusErrorFromResponse, statusErrorFromStatus } from "../../../runtime/rest/status-errors.js";

const context = { method: "GET", url: "https://127.0.0.1:6443/api/v1/namespaces/default/configmaps/x" };

function status(code: number, reason: string, message = `${reason} happened`, details?: object): string {
  return JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code, ...(details && { details }) });
}

describe("statusErrorFromResponse", () => {
  it("keeps the Status fields and names method and URL", () => {
    const error = statusErrorFromResponse(404, status(404, "NotFound", 'configmaps "x" not found', { name: "x", kind: "configmaps" }), context);
    expect(error).toBeInstanceOf(StatusError);
    expect(error.name).toBe("StatusError");
    expect(error.code).toBe(404);
    expect(error.reason).toBe("NotFound");
    expect(error.details).toEqual({ name: "x", kind: "configmaps" });
    expect(error.status.message).toBe('configmaps "x" not found');
    expect(error.method).toBe("GET");
    expect(error.url).toBe(context.url);
    expect(error.message).toBe(`GET ${context.url}: 404 NotFound: configmaps "x" not found`);
  });

  it.each([
    [401, "Unauthorized", isUnauthorized],
    [403, "Forbidden", isForbidden],
    [404, "NotFound", isNotFound],
    [409, "AlreadyExists", isAlreadyExists],
    [409, "Conflict", isConflict],
    [410, "Gone", isGone],
    [410, "Expired", isGone],
    [422, "Invalid", isInvalid],
    [429, "TooManyRequests", isTooManyRequests],
  ] as const)("%d %s is one StatusError carrying its reason, and its helper holds", (code, reason, helper) => {
    const error: unknown = statusErrorFromResponse(code, status(code, reason), context);
    expect(error).toBeInstanceOf(StatusError);
    expect(Object.getPrototypeOf(error)).toBe(StatusError.prototype);
    expect(helper(error)).toBe(true);
    // The helper narrows `unknown` to the class: its fields are there without a cast.
    if (helper(error)) expect([error.code, error.reason]).toEqual([code, reason]);
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
    expect(isInvalid(error)).toBe(false);
  });
});

describe("statusErrorFromStatus", () => {
  it("maps a watch ERROR event's Status", () => {
    const error = statusErrorFromStatus({ kind: "Status", status: "Failure", code: 410, reason: "Expired", message: "too old resource version: 1 (50)" }, { method: "GET", url: "u" });
    expect(error.reason).toBe("Expired");
    expect(isGone(error)).toBe(true);
    expect(error.message).toBe("GET u: 410 Expired: too old resource version: 1 (50)");
  });
});

describe("the isX helpers classify by reason, then by code", () => {
  const helpers = [isUnauthorized, isForbidden, isNotFound, isAlreadyExists, isConflict, isGone, isInvalid, isTooManyRequests];
  const reasons = ["", "Unauthorized", "Forbidden", "NotFound", "AlreadyExists", "Conflict", "Gone", "Expired", "Invalid", "TooManyRequests", "BadRequest", "Teapot"];
  const codes = [0, 400, 401, 403, 404, 409, 422, 429, 500, 503];

  it("at most one holds for any reason the server may send with any code but 410", () => {
    for (const code of codes) {
      for (const reason of reasons) {
        const error = statusErrorFromStatus({ kind: "Status", code, ...(reason && { reason }) }, context);
        const holding = helpers.filter((helper) => helper(error)).map((helper) => helper.name);
        expect(holding.length, `${code} ${reason || "(no reason)"}: ${holding.join(", ")}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it("a reason decides even when the code says otherwise; no reason falls back to the code", () => {
    const forbidden = statusErrorFromStatus({ kind: "Status", code: 500, reason: "Forbidden" }, context);
    expect(isForbidden(forbidden)).toBe(true);
    expect(isNotFound(statusErrorFromStatus({ kind: "Status", code: 0, reason: "NotFound" }, context))).toBe(true);
    const bare = statusErrorFromStatus({ kind: "Status", code: 404 }, context);
    expect([isNotFound(bare), bare.reason]).toEqual([true, "NotFound"]);
    expect(isNotFound(statusErrorFromStatus({ kind: "Status", code: 404, reason: "Teapot" }, context))).toBe(false);
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
