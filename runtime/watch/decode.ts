import { isUtf8 } from "node:buffer";
import type { Status } from "../api/objects.js";
import { completeCharactersEnd } from "../rest/utf8.js";

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
 * because the connection broke mid-event. `source` (the URL) names the stream in errors. Stopping early
 * (`break`, `return()`) closes `chunks`.
 *
 * Hot path of every watch and informer: bytes are checked as UTF-8 (simdutf) and turned into text a chunk at a
 * time, each line is cut from that text by offset, and an event already in the text is answered without a
 * generator step, so an event costs its JSON.parse and little else (a streaming TextDecoder, re-slicing the rest
 * after every line and an async generator's yield cost about 15% of the decoding time of a 20,000-event burst).
 */
export function decodeWatchEvents<T>(chunks: AsyncIterable<Uint8Array | string>, source = "stream"): AsyncGenerator<WatchEvent<T>, void, undefined> {
  return new WatchEventStream<T>(chunks, source);
}

type Step<T> = IteratorResult<WatchEvent<T>, void>;
const DONE: IteratorReturnResult<void> = { value: undefined, done: true };

/** The events of one watch body, with an async generator's behaviour: calls answered in order, done after an error. */
class WatchEventStream<T> implements AsyncGenerator<WatchEvent<T>, void, undefined> {
  readonly #chunks: AsyncIterable<Uint8Array | string>;
  readonly #source: string;
  readonly #text: Utf8Text;
  #iterator: AsyncIterator<Uint8Array | string> | undefined;
  /** Decoded text not yet cut into lines starts at `#offset`. */
  #buffered = "";
  #offset = 0;
  #done = false;
  /** The call being answered, when it has to wait for the body; later calls wait for it. */
  #busy: Promise<unknown> | undefined;

  constructor(chunks: AsyncIterable<Uint8Array | string>, source: string) {
    this.#chunks = chunks;
    this.#source = source;
    this.#text = new Utf8Text(source);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Step<T>> {
    if (this.#busy === undefined) {
      if (this.#done) return Promise.resolve(DONE);
      // An event already decoded is answered at once; only a wait for the body goes through the queue.
      try {
        const event = this.#nextLine();
        if (event !== undefined) return Promise.resolve({ value: event, done: false });
      } catch (error) {
        return this.#fail(error);
      }
    }
    return this.#queue(() => this.#pull());
  }

  return(): Promise<Step<T>> {
    return this.#queue(async () => {
      this.#done = true;
      await this.#close();
      return DONE;
    });
  }

  throw(error: unknown): Promise<Step<T>> {
    return this.#queue(async () => {
      if (this.#done) throw error;
      return this.#fail(error);
    });
  }

  #queue(step: () => Promise<Step<T>>): Promise<Step<T>> {
    const result = (this.#busy ?? Promise.resolve()).then(step);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.#busy = settled;
    void settled.then(() => {
      if (this.#busy === settled) this.#busy = undefined;
    });
    return result;
  }

  /** Reads the body until a line is complete (or it ends). */
  async #pull(): Promise<Step<T>> {
    for (;;) {
      if (this.#done) return DONE;
      let event: WatchEvent<T> | undefined;
      try {
        event = this.#nextLine();
        if (event !== undefined) return { value: event, done: false };
      } catch (error) {
        return this.#fail(error);
      }
      this.#iterator ??= this.#chunks[Symbol.asyncIterator]();
      let chunk: IteratorResult<Uint8Array | string>;
      try {
        chunk = await this.#iterator.next();
      } catch (error) {
        // The body failed: it is finished already, nothing to close.
        this.#done = true;
        throw error;
      }
      try {
        if (chunk.done) return this.#last();
        this.#buffered = (this.#offset === 0 ? this.#buffered : this.#buffered.slice(this.#offset)) + this.#text.decode(chunk.value);
        this.#offset = 0;
      } catch (error) {
        return this.#fail(error);
      }
    }
  }

  /** The next complete line's event, or undefined when the text holds no complete line. */
  #nextLine(): WatchEvent<T> | undefined {
    for (;;) {
      const newline = this.#buffered.indexOf("\n", this.#offset);
      if (newline === -1) return undefined;
      const line = lineAt(this.#buffered, this.#offset, newline);
      this.#offset = newline + 1;
      if (line !== undefined) return parseEvent<T>(line, this.#source);
    }
  }

  /** The body ended: what is left must be one complete event, or nothing. */
  #last(): Step<T> {
    this.#done = true;
    this.#iterator = undefined;
    this.#text.end();
    const rest = this.#buffered.slice(this.#offset).trim();
    this.#buffered = "";
    if (rest === "") return DONE;
    try {
      JSON.parse(rest);
    } catch {
      throw truncated(this.#source, rest.length);
    }
    return { value: parseEvent<T>(rest, this.#source), done: false };
  }

  /** Ends with `error`, after closing the body (as a generator's loop over it would). */
  async #fail(error: unknown): Promise<never> {
    this.#done = true;
    await this.#close().catch(() => {});
    throw error;
  }

  async #close(): Promise<void> {
    const iterator = this.#iterator;
    this.#iterator = undefined;
    await iterator?.return?.();
  }
}

/** The line between `start` and `end` without a trailing `\r`; undefined when it is blank. */
function lineAt(text: string, start: number, end: number): string | undefined {
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  if (end === start) return undefined;
  const line = text.slice(start, end);
  // Events start with `{`; anything else is checked for being only whitespace before it is parsed.
  return text.charCodeAt(start) === 123 || line.trim() !== "" ? line : undefined;
}

function truncated(source: string, bytes: number): WatchDecodeError {
  return new WatchDecodeError(`watch ${source}: the stream ended in the middle of an event (${bytes} bytes without a closing newline); watch again from the last resourceVersion`, {
    truncated: true,
  });
}

/**
 * Chunks of bytes as text, strictly UTF-8: a character split across chunks waits for its other bytes; bytes
 * that are not UTF-8 are a WatchDecodeError (a server never sends them: the stream is corrupt).
 */
class Utf8Text {
  /** The first bytes of a character the next chunk completes (at most 3). */
  private carry: Uint8Array | undefined;

  constructor(private readonly source: string) {}

  decode(chunk: Uint8Array | string): string {
    if (typeof chunk === "string") {
      if (this.carry !== undefined) throw this.invalid();
      return chunk;
    }
    const bytes = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
    const end = completeCharactersEnd(bytes);
    const whole = bytes.subarray(0, end);
    if (!isUtf8(whole)) throw this.invalid();
    this.carry = end < bytes.length ? Uint8Array.prototype.slice.call(bytes, end) : undefined;
    return Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength).toString("utf8");
  }

  /** The stream ended: a character still waiting for its bytes means it was cut off mid-event. */
  end(): void {
    if (this.carry !== undefined) throw truncated(this.source, this.carry.byteLength);
  }

  private invalid(): WatchDecodeError {
    return new WatchDecodeError(`watch ${this.source}: the stream is not valid UTF-8; a proxy or the connection corrupted it`);
  }
}
