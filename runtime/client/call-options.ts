// Which of a method's options become query parameters, which a DeleteOptions body, and which the client keeps.
import type { DeleteOptions } from "../request/build.js";
import type { QueryParams } from "../request/query.js";
import type { AnyOptions } from "./context.js";

// Options every method reads itself; they never become query parameters.
const CLIENT_KEYS: ReadonlySet<string> = new Set(["namespace", "allNamespaces", "signal", "timeoutMs", "type"]);
/** Options of `delete`/`deletecollection` that travel in the DeleteOptions body. */
export const DELETE_OPTION_KEYS = ["propagationPolicy", "gracePeriodSeconds", "dryRun", "preconditions"] as const;
/** Options of `watch` that steer the client, not the server. */
export const WATCH_CLIENT_KEYS = ["resume", "maxEventBytes"] as const;

/** Query options are the caller's options minus the ones the client itself interprets. */
export function queryFrom(options: AnyOptions | undefined, omit: readonly string[] = []): QueryParams {
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    if (CLIENT_KEYS.has(key) || omit.includes(key)) continue;
    query[key] = value;
  }
  return query as QueryParams;
}

/** The options that belong in a DeleteOptions body. */
export function deleteOptionsFrom(options: AnyOptions | undefined): DeleteOptions {
  const picked: Record<string, unknown> = {};
  for (const key of DELETE_OPTION_KEYS) if (options?.[key] !== undefined) picked[key] = options[key];
  return picked as DeleteOptions;
}
