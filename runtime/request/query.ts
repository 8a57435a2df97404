import { RequestValidationError } from "./validation.js";

/** The query options Kubernetes understands on resource requests; all optional, undefined is omitted. */
export interface QueryOptions {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  /** Page size for lists; a positive integer. */
  limit?: number | undefined;
  /** Continue token from the previous page's `metadata.continue`. */
  continue?: string | undefined;
  resourceVersion?: string | undefined;
  resourceVersionMatch?: "NotOlderThan" | "Exact" | undefined;
  timeoutSeconds?: number | undefined;
  allowWatchBookmarks?: boolean | undefined;
  watch?: boolean | undefined;
  sendInitialEvents?: boolean | undefined;
  /** Only `"All"` exists: validate and admit, but persist nothing. */
  dryRun?: "All" | undefined;
  fieldManager?: string | undefined;
  fieldValidation?: "Ignore" | "Warn" | "Strict" | undefined;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean | undefined;
  propagationPolicy?: "Orphan" | "Background" | "Foreground" | undefined;
  gracePeriodSeconds?: number | undefined;
  pretty?: boolean | undefined;
}

/** A value the query string can carry; arrays repeat the key. */
export type QueryValue = string | number | boolean | readonly (string | number | boolean)[];

/** Known options plus any other parameter (e.g. `container`, `tailLines` for pod logs). */
export type QueryParams = QueryOptions & { readonly [key: string]: QueryValue | undefined };

const NON_NEGATIVE_INTEGERS = new Set(["timeoutSeconds", "gracePeriodSeconds"]);

/**
 * The one check of an option's value, wherever it travels (query string or DeleteOptions body): numbers
 * finite, `limit` positive, `timeoutSeconds`/`gracePeriodSeconds` whole and not negative, `dryRun` only "All".
 */
export function checkOptionValue(argument: string, key: string, value: unknown): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RequestValidationError(argument, `${value} is not a finite number`);
    if (key === "limit" && (!Number.isInteger(value) || value <= 0)) {
      throw new RequestValidationError(argument, `${value} is not a positive integer`);
    }
    if (NON_NEGATIVE_INTEGERS.has(key) && (!Number.isInteger(value) || value < 0)) {
      throw new RequestValidationError(argument, `${value} is not a non-negative integer`);
    }
  }
  if (key === "dryRun" && value !== "All") {
    throw new RequestValidationError(argument, `${JSON.stringify(value)} is not supported; the only value is "All"`);
  }
}

/**
 * Encodes query options with URLSearchParams in a deterministic order (keys sorted), omitting undefined.
 * Returns "" or a string starting with `?`.
 */
export function buildQuery(options: QueryParams | undefined): string {
  if (!options) return "";
  const keys = Object.keys(options);
  if (keys.length === 0) return "";
  const params = new URLSearchParams();
  for (const key of keys.sort()) {
    const value = options[key];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value as string | number | boolean];
    for (const item of values) {
      checkOptionValue(`query.${key}`, key, item);
      params.append(key, String(item));
    }
  }
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}
