// `pods/log` as text or as lines while they are written, with PodLogOptions validated as the server does.
import type { RestClient } from "../rest/types.js";
import { buildRawRequest } from "../request/raw.js";
import { RequestValidationError } from "../request/validation.js";
import type { QueryParams } from "../request/query.js";

const LOG_ACCEPT = "text/plain, */*";

/** Options of `pods/log` (PodLogOptions). */
export interface PodLogOptions {
  /** Container name; required by the server when the pod has several. */
  container?: string | undefined;
  /** Keep the stream open and send new lines as they are written. */
  follow?: boolean | undefined;
  /** Only the last n lines. */
  tailLines?: number | undefined;
  /** Only lines newer than this many seconds; exclusive with `sinceTime`. */
  sinceSeconds?: number | undefined;
  /** Only lines after this time (RFC 3339 string or Date); exclusive with `sinceSeconds`. */
  sinceTime?: string | Date | undefined;
  /** Prefix each line with its RFC 3339 timestamp. */
  timestamps?: boolean | undefined;
  /** The previous, terminated instance of the container. */
  previous?: boolean | undefined;
  /** Stop after this many bytes (the last line may be cut). */
  limitBytes?: number | undefined;
  signal?: AbortSignal | undefined;
}

function checkInteger(name: string, value: number | undefined, minimum: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < minimum) throw new RequestValidationError(name, `${value} is not an integer ≥ ${minimum}`);
}

/** The query of `pods/log`, validated as the API server validates PodLogOptions. */
export function buildLogQuery(options: PodLogOptions = {}): QueryParams {
  checkInteger("tailLines", options.tailLines, 0);
  checkInteger("sinceSeconds", options.sinceSeconds, 1);
  checkInteger("limitBytes", options.limitBytes, 1);
  if (options.sinceSeconds !== undefined && options.sinceTime !== undefined) {
    throw new RequestValidationError("sinceSeconds", "give either sinceSeconds or sinceTime, not both");
  }
  let sinceTime: string | undefined;
  if (options.sinceTime instanceof Date) {
    if (Number.isNaN(options.sinceTime.getTime())) throw new RequestValidationError("sinceTime", "is an invalid Date");
    sinceTime = options.sinceTime.toISOString().replace(/\.\d{3}Z$/, "Z"); // RFC 3339 in seconds, as metav1.Time expects
  } else sinceTime = options.sinceTime;
  return {
    container: options.container,
    follow: options.follow || undefined,
    tailLines: options.tailLines,
    sinceSeconds: options.sinceSeconds,
    sinceTime,
    timestamps: options.timestamps || undefined,
    previous: options.previous || undefined,
    limitBytes: options.limitBytes,
  };
}

/** The whole log as text (with `follow`, resolves when the server ends the stream). */
export async function getLogs(rest: RestClient, path: string, options: PodLogOptions = {}): Promise<string> {
  const request = buildRawRequest({ method: "GET", path, query: buildLogQuery(options), accept: LOG_ACCEPT }, "text");
  return rest.text(request, { signal: options.signal, timeoutMs: options.follow ? 0 : undefined });
}

/**
 * The log as lines (without their `\n`), as they arrive; `follow` defaults to true. Ends when the server ends
 * the stream, or quietly when `signal` aborts or the loop breaks (both release the connection).
 */
export function streamLogLines(rest: RestClient, path: string, options: PodLogOptions = {}): AsyncGenerator<string, void, undefined> {
  // Built now so a bad option throws at the call, not at the first iteration.
  const request = buildRawRequest({ method: "GET", path, query: buildLogQuery({ ...options, follow: options.follow ?? true }), accept: LOG_ACCEPT }, "stream");
  return (async function* () {
    try {
      const body = await rest.stream(request, { signal: options.signal });
      yield* splitLines(body);
    } catch (error) {
      if (options.signal?.aborted) return;
      throw error;
    }
  })();
}

/** UTF-8 chunks to lines; a multi-byte character or a line split across chunks is joined first. */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf("\n")) !== -1) {
      yield pending.slice(0, newline);
      pending = pending.slice(newline + 1);
    }
  }
  pending += decoder.decode();
  if (pending !== "") yield pending;
}
