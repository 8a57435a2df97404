import type { Status } from "../api/objects.js";

/** Event types a watch stream carries. */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/**
 * One watch event. `ERROR` carries a `Status` (e.g. 410 Expired: relist and watch again); `BOOKMARK`
 * carries an object of the watched kind with only `metadata.resourceVersion` set.
 */
export type WatchEvent<T> =
  | { type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK"; object: T }
  | { type: "ERROR"; object: Status };

/**
 * The watch stream held something that is not a watch event, or ended in the middle of one. `truncated`
 * tells the second case apart: the connection broke, so watching again from the last resourceVersion is safe.
 */
export class WatchDecodeError extends Error {
  override readonly name = "WatchDecodeError";
  readonly truncated: boolean;
  constructor(message: string, options: { truncated?: boolean } = {}) {
    super(message);
    this.truncated = options.truncated ?? false;
  }
}

const EVENT_TYPES: ReadonlySet<string> = new Set<WatchEventType>(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

function parseEvent<T>(line: string, source: string): WatchEvent<T> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line;
    throw new WatchDecodeError(`watch ${source}: a line is not JSON (${(error as Error).message}): ${shown}`);
  }
  const event = value as { type?: unknown; object?: unknown };
  if (typeof event !== "object" || event === null || typeof event.type !== "string" || !EVENT_TYPES.has(event.type)) {
    throw new WatchDecodeError(`watch ${source}: expected {"type": "ADDED"|"MODIFIED"|"DELETED"|"BOOKMARK"|"ERROR", "object": ...}, got type ${JSON.stringify(event?.type)}`);
  }
  if (typeof event.object !== "object" || event.object === null) {
    throw new WatchDecodeError(`watch ${source}: a ${event.type} event has no object`);
  }
  return event as WatchEvent<T>;
}

/**
 * Decodes a watch response body (newline-delimited JSON) into events, one at a time, whatever the chunk
 * boundaries. A final line without a newline is accepted when it is complete JSON; a cut-off one is an error,
 * because the connection broke mid-event. `source` (the URL) names the stream in errors.
 */
export async function* decodeWatchEvents<T>(chunks: AsyncIterable<Uint8Array | string>, source = "stream"): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let pending = "";
  for await (const chunk of chunks) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf("\n")) !== -1) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line !== "") yield parseEvent<T>(line, source);
    }
  }
  pending += decoder.decode();
  const rest = pending.trim();
  if (rest === "") return;
  try {
    JSON.parse(rest);
  } catch {
    throw new WatchDecodeError(`watch ${source}: the stream ended in the middle of an event (${rest.length} bytes without a closing newline); watch again from the last resourceVersion`, {
      truncated: true,
    });
  }
  yield parseEvent<T>(rest, source);
}
