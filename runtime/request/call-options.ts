// Which of a method's options become query parameters, which a DeleteOptions body, and which the client itself reads.
import type { PatchType } from "./patch.js";
import type { QueryParams } from "./query.js";

/** A verb's options as the run time sees them: the union of every method's options. */
export interface VerbOptions {
  namespace?: string;
  allNamespaces?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  type?: PatchType;
  [option: string]: unknown;
}

/** Options of a single delete, sent as a `DeleteOptions` body (the only place `preconditions` fit). */
export interface DeleteOptions {
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  gracePeriodSeconds?: number;
  dryRun?: "All";
  /** Delete only if the object still has this uid / resourceVersion (else 409 Conflict). */
  preconditions?: { uid?: string; resourceVersion?: string };
}

// Options every method reads itself; they never become query parameters.
const CLIENT_KEYS: ReadonlySet<string> = new Set(["namespace", "allNamespaces", "signal", "timeoutMs", "type"]);
/** Options of `delete`/`deletecollection` that travel in the DeleteOptions body. */
export const DELETE_OPTION_KEYS = ["propagationPolicy", "gracePeriodSeconds", "dryRun", "preconditions"] as const;
/** Options of `watch` that steer the client, not the server. */
export const WATCH_CLIENT_KEYS = ["resume", "maxEventBytes"] as const;

/** Query options are the caller's options minus the ones the client itself interprets. */
export function queryFrom(options: VerbOptions | undefined, omit: readonly string[] = []): QueryParams {
  const query: Record<string, unknown> = {};
  if (options === undefined) return query as QueryParams;
  for (const key of Object.keys(options)) {
    if (CLIENT_KEYS.has(key) || omit.includes(key)) continue;
    query[key] = options[key];
  }
  return query as QueryParams;
}

/** The options that belong in a DeleteOptions body. */
export function deleteOptionsFrom(options: VerbOptions | undefined): DeleteOptions {
  const picked: Record<string, unknown> = {};
  for (const key of DELETE_OPTION_KEYS) if (options?.[key] !== undefined) picked[key] = options[key];
  return picked as DeleteOptions;
}
