// Reads JSON answers; a large page of a paged list is parsed a batch of items at a time, never as one giant string.
import { ResponseDecodeError } from "./status-errors.js";
import type { ResponseBody } from "./types.js";
import { completeCharactersEnd } from "./utf8.js";

/**
 * Pages of known length up to this size are read whole and parsed by one JSON.parse. V8 keeps strings over
 * about 128 KB in its large-object space, which only a full garbage collection empties, so finished pages of a
 * long paged list would pile up waiting for one.
 */
export const WHOLE_PARSE_LIMIT = 128 * 1024;

/**
 * Parses a page of a paged list (undefined for an empty answer) to what JSON.parse would give, reading the
 * body as it arrives; `source` names the request in errors. It costs more CPU than one JSON.parse of the
 * page, which is why single answers are parsed whole.
 */
export async function readListPage<T>(body: ResponseBody, contentLength: number | undefined, source: string): Promise<T> {
  if (contentLength !== undefined && contentLength <= WHOLE_PARSE_LIMIT) return parseJson<T>(await body.text(), source);
  const splitter = new ItemSplitter(source);
  let carry: Buffer | undefined;
  for await (const chunk of body) {
    const bytes = carry === undefined ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([carry, chunk]);
    const whole = completeCharactersEnd(bytes);
    splitter.push(bytes.toString("utf8", 0, whole));
    carry = whole < bytes.length ? Buffer.from(bytes.subarray(whole)) : undefined;
  }
  if (carry !== undefined) splitter.push(carry.toString("utf8")); // a cut-off character, replaced as text() would
  return splitter.end() as T;
}

/** Parses a whole JSON answer (undefined for an empty one). */
export function parseJson<T>(text: string, source: string): T {
  if (text.trim() === "") return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw notJson(source, "the answer is", error, text);
  }
}

/** `what` says what is not JSON, with its verb ("the answer is"). */
function notJson(source: string, what: string, error: unknown, text: string): ResponseDecodeError {
  return new ResponseDecodeError(`${source}: ${what} not JSON (${(error as Error).message}): ${text.slice(0, 120)}`);
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;
const COLON = 58;
const BLANK = /^[ \t\n\r]*$/;
/** Characters of items parsed at once: far below the ~128 KB at which V8 makes a string a large object. */
const BATCH_LENGTH = 32 * 1024;
/** Longest raw key kept to recognize `"items"` (escapes make it longer than 7). */
const KEY_LENGTH = 64;

/**
 * Cuts JSON text, fed in pieces, into the elements of the top-level object's `items` array, parsed in batches
 * as they complete, and the rest, parsed once at the end with `items` empty and then given the elements.
 * The result equals JSON.parse of the whole text, and what JSON.parse rejects is rejected. Each piece is
 * scanned where it lies (no joined buffer): only an element or key cut by a piece boundary is put together.
 */
export class ItemSplitter {
  readonly #source: string;
  /** The piece being scanned. */
  #text = "";
  /** Whether the last piece ended inside a string with an odd run of backslashes (escaping this one's first character). */
  #oddBackslashes = false;
  #depth = 0;
  #topIsObject = false;
  #inString = false;
  /** Where the current string started in this piece; `#stringHead` holds its part from earlier pieces. */
  #stringStart = 0;
  #stringHead = "";
  /** The last string closed at depth 1, raw when short (keys are); a key once a colon follows it. */
  #lastString = "";
  #atItemsKey = false;
  /** The text without the items' elements, in pieces; the current one starts at `#pieceStart` in this piece. */
  readonly #rest: string[] = [];
  #pieceStart = 0;
  /**
   * While inside `items`: its elements so far, and where the batch of elements not yet parsed starts (with its
   * part from earlier pieces). Elements are parsed in batches of about BATCH_LENGTH characters, as a JSON array:
   * one JSON.parse per batch, and JSON.parse alone decides what is valid between the separators.
   */
  #items: unknown[] | undefined;
  #batchStart = 0;
  #batchHead = "";
  #cutAtComma = false;
  /** The elements of the last `items` array closed (JSON.parse keeps the last of repeated keys too). */
  #lastItems: unknown[] | undefined;

  constructor(source: string) {
    this.#source = source;
  }

  push(text: string): void {
    this.#text = text;
    this.#pieceStart = 0;
    this.#batchStart = 0;
    this.#stringStart = 0;
    this.#scan();
    if (this.#items === undefined) this.#rest.push(text.slice(this.#pieceStart));
    else this.#batchHead += text.slice(this.#batchStart);
    if (this.#inString && this.#depth === 1 && this.#stringHead.length <= KEY_LENGTH) this.#stringHead += text.slice(this.#stringStart, this.#stringStart + KEY_LENGTH + 1);
  }

  /** The parsed value; undefined for an empty text. */
  end(): unknown {
    if (this.#items !== undefined) throw new ResponseDecodeError(`${this.#source}: the answer ended inside its items: the connection broke; retry`);
    const rest = this.#rest.join("");
    if (this.#lastItems === undefined) return parseJson(rest, this.#source);
    let value: { items: unknown[] };
    try {
      value = JSON.parse(rest) as { items: unknown[] };
    } catch (error) {
      throw notJson(this.#source, "the answer is", error, rest);
    }
    value.items = this.#lastItems;
    return value;
  }

  /** One pass over the piece; state lives in locals here, the hot loop of a big list. */
  #scan(): void {
    const text = this.#text;
    const end = text.length;
    let depth = this.#depth;
    let inString = this.#inString;
    let inItems = this.#items !== undefined;
    /** Whether backslashes ending the last piece escape this one's first character (until a quote is met). */
    let carried = inString && this.#oddBackslashes;
    let i = 0;
    while (i < end) {
      if (inString) {
        // Strings are most of a Kubernetes object: jump from quote to quote.
        const quote = text.indexOf('"', i);
        if (quote === -1) break;
        i = quote + 1;
        const escaped = quote === 0 ? carried : text.charCodeAt(quote - 1) === BACKSLASH && endsInOddBackslashes(text, quote, carried);
        carried = false;
        if (escaped) continue;
        inString = false;
        if (depth === 1) this.#closeString(quote);
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        inString = true;
        this.#stringStart = i;
        this.#stringHead = "";
        carried = false;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        depth++;
        if (depth === 1) this.#topIsObject = c === OPEN_OBJECT;
        else if (depth === 2 && c === OPEN_ARRAY && this.#atItemsKey && this.#topIsObject) {
          this.#openItems(i);
          inItems = true;
        }
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (depth === 2 && inItems) {
          this.#closeItems(i);
          inItems = false;
        }
        depth--;
      } else if (c === COMMA) {
        if (depth === 1) this.#atItemsKey = false;
        else if (depth === 2 && inItems && this.#batchHead.length + i - this.#batchStart >= BATCH_LENGTH) this.#parseBatch(i, true);
      } else if (c === COLON && depth === 1) {
        this.#atItemsKey = isItemsKey(this.#lastString);
      }
      i++;
    }
    this.#depth = depth;
    this.#inString = inString;
    if (inString) this.#oddBackslashes = endsInOddBackslashes(text, end, carried);
  }

  #closeString(quote: number): void {
    const length = this.#stringHead.length + quote + 1 - this.#stringStart;
    this.#lastString = length <= KEY_LENGTH ? this.#stringHead + this.#text.slice(this.#stringStart, quote + 1) : "";
    this.#stringHead = "";
  }

  #openItems(bracket: number): void {
    this.#rest.push(this.#text.slice(this.#pieceStart, bracket + 1));
    this.#items = [];
    this.#batchStart = bracket + 1;
    this.#batchHead = "";
    this.#cutAtComma = false;
  }

  #closeItems(bracket: number): void {
    this.#parseBatch(bracket, false);
    this.#lastItems = this.#items;
    this.#items = undefined;
    this.#pieceStart = bracket;
  }

  /** Parses the elements from the batch start up to the separator at `at` (a comma, or the closing bracket). */
  #parseBatch(at: number, atComma: boolean): void {
    const items = this.#items!;
    const batch = `[${this.#batchHead}${this.#text.slice(this.#batchStart, at)}]`;
    this.#batchStart = at + 1;
    this.#batchHead = "";
    // After a cut at a comma an element must follow: `[a,]` is not JSON, though `[a]` and `[]` are.
    if (this.#cutAtComma && BLANK.test(batch.slice(1, -1))) throw new ResponseDecodeError(`${this.#source}: the answer's items end in a comma after item ${items.length}: not JSON`);
    this.#cutAtComma = atComma;
    let elements: unknown[];
    try {
      elements = JSON.parse(batch) as unknown[];
    } catch (error) {
      throw notJson(this.#source, `the answer's items from item ${items.length} on are`, error, batch);
    }
    for (const element of elements) items.push(element);
  }
}

/**
 * Whether the backslashes right before `at` are an odd run (so they escape the character at `at`). A run that
 * reaches the start of the piece continues the previous piece's, whose parity is `carried`; a run never
 * crosses the string's opening quote.
 */
function endsInOddBackslashes(text: string, at: number, carried: boolean): boolean {
  let i = at - 1;
  while (i >= 0 && text.charCodeAt(i) === BACKSLASH) i--;
  const odd = (at - 1 - i) % 2 === 1;
  return i < 0 ? odd !== carried : odd;
}

function isItemsKey(raw: string): boolean {
  if (raw === '"items"') return true;
  if (!raw.includes("\\")) return false;
  try {
    return JSON.parse(raw) === "items";
  } catch {
    return false;
  }
}
