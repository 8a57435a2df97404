// SPDY/3.1 frames as bytes (draft-mbelshe-httpbis-spdy-00): what port-forward speaks inside the WebSocket tunnel. Pure: no IO.
import { StreamProtocolError } from "./errors.js";

const VERSION = 3;
const HEADER_BYTES = 8;
const MAX_LENGTH = 0xffffff;
const STREAM_ID_MASK = 0x7fffffff;

export const FrameType = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goAway: 7, headers: 8, windowUpdate: 9 } as const;
/** FLAG_FIN on DATA, SYN_STREAM, SYN_REPLY and HEADERS: the sender will send nothing more on the stream. */
export const FLAG_FIN = 0x01;
/** SETTINGS id of the initial per-stream send window. */
export const SETTINGS_INITIAL_WINDOW_SIZE = 7;
/** Every stream's window before SETTINGS says otherwise. */
export const DEFAULT_WINDOW = 64 * 1024;
/** RST_STREAM status codes used here. */
export const RstStatus = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5, internalError: 6, flowControlError: 7 } as const;

/** Name/value pairs; SPDY/3 names are lower case. */
export type HeaderPairs = ReadonlyArray<readonly [string, string]>;

export type SpdyFrame =
  | { kind: "data"; streamId: number; fin: boolean; data: Uint8Array }
  | { kind: "synStream"; streamId: number; associatedId: number; priority: number; fin: boolean; headerBlock: Uint8Array }
  | { kind: "synReply"; streamId: number; fin: boolean; headerBlock: Uint8Array }
  | { kind: "headers"; streamId: number; fin: boolean; headerBlock: Uint8Array }
  | { kind: "rstStream"; streamId: number; status: number }
  | { kind: "settings"; entries: ReadonlyArray<{ id: number; value: number }> }
  | { kind: "ping"; id: number }
  | { kind: "goAway"; lastGoodStreamId: number; status: number }
  | { kind: "windowUpdate"; streamId: number; delta: number }
  | { kind: "unknown"; type: number };

function frame(first: number, second: number, flags: number, payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_LENGTH) throw new RangeError(`a SPDY frame carries at most ${MAX_LENGTH} bytes, got ${payload.length}`);
  const bytes = new Uint8Array(HEADER_BYTES + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, first);
  view.setUint16(2, second);
  view.setUint32(4, (flags << 24) | payload.length);
  bytes.set(payload, HEADER_BYTES);
  return bytes;
}

function control(type: number, flags: number, payload: Uint8Array): Uint8Array {
  return frame(0x8000 | VERSION, type, flags, payload);
}

function words(...values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => view.setUint32(index * 4, value >>> 0));
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

function checkStreamId(streamId: number): void {
  if (!Number.isInteger(streamId) || streamId < 0 || streamId > STREAM_ID_MASK) throw new RangeError(`SPDY stream id ${streamId} is not a 31-bit integer`);
}

/** One frame's bytes (header blocks already compressed). */
export function encodeFrame(item: Exclude<SpdyFrame, { kind: "unknown" }>): Uint8Array {
  switch (item.kind) {
    case "data":
      checkStreamId(item.streamId);
      return frame(item.streamId >>> 16, item.streamId & 0xffff, item.fin ? FLAG_FIN : 0, item.data);
    case "synStream":
      checkStreamId(item.streamId);
      return control(FrameType.synStream, item.fin ? FLAG_FIN : 0, concat(words(item.streamId, item.associatedId), Uint8Array.of((item.priority & 7) << 5, 0), item.headerBlock));
    case "synReply":
    case "headers":
      checkStreamId(item.streamId);
      return control(item.kind === "synReply" ? FrameType.synReply : FrameType.headers, item.fin ? FLAG_FIN : 0, concat(words(item.streamId), item.headerBlock));
    case "rstStream":
      return control(FrameType.rstStream, 0, words(item.streamId, item.status));
    case "settings":
      return control(FrameType.settings, 0, words(item.entries.length, ...item.entries.flatMap((entry) => [entry.id & 0xffffff, entry.value])));
    case "ping":
      return control(FrameType.ping, 0, words(item.id));
    case "goAway":
      return control(FrameType.goAway, 0, words(item.lastGoodStreamId, item.status));
    case "windowUpdate":
      if (!Number.isInteger(item.delta) || item.delta < 1 || item.delta > STREAM_ID_MASK) throw new RangeError(`a window update of ${item.delta} is not between 1 and 2^31-1`);
      return control(FrameType.windowUpdate, 0, words(item.streamId, item.delta));
  }
}

/** Reassembles frames from a byte stream cut anywhere (the tunnel's WebSocket messages need not align with frames). */
export class SpdyFrameReader {
  private pending: Uint8Array = new Uint8Array(0);

  /** Adds bytes; returns every frame now complete, in order. */
  push(bytes: Uint8Array): SpdyFrame[] {
    this.pending = this.pending.length === 0 ? bytes : concat(this.pending, bytes);
    const frames: SpdyFrame[] = [];
    let offset = 0;
    while (this.pending.length - offset >= HEADER_BYTES) {
      const view = new DataView(this.pending.buffer, this.pending.byteOffset + offset);
      const length = view.getUint32(4) & MAX_LENGTH;
      if (this.pending.length - offset < HEADER_BYTES + length) break;
      const payload = this.pending.slice(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
      frames.push(decodeFrame(view.getUint32(0), view.getUint8(4), payload));
      offset += HEADER_BYTES + length;
    }
    this.pending = this.pending.subarray(offset);
    return frames;
  }
}

function decodeFrame(first: number, flags: number, payload: Uint8Array): SpdyFrame {
  const fin = (flags & FLAG_FIN) !== 0;
  if ((first & 0x80000000) === 0) return { kind: "data", streamId: first, fin, data: payload };
  const version = (first >>> 16) & 0x7fff;
  if (version !== VERSION) throw new StreamProtocolError(`received a SPDY/${version} control frame; the tunnel speaks SPDY/3.1`);
  return decodeControl(first & 0xffff, fin, payload);
}

function decodeControl(type: number, fin: boolean, payload: Uint8Array): SpdyFrame {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
  const word = (index: number) => {
    if (payload.length < (index + 1) * 4) throw new StreamProtocolError(`a SPDY control frame of type ${type} is too short (${payload.length} bytes)`);
    return view.getUint32(index * 4);
  };
  const streamId = () => word(0) & STREAM_ID_MASK;
  switch (type) {
    case FrameType.synStream:
      return { kind: "synStream", streamId: streamId(), associatedId: word(1) & STREAM_ID_MASK, priority: payload[8]! >>> 5, fin, headerBlock: payload.subarray(10) };
    case FrameType.synReply:
      return { kind: "synReply", streamId: streamId(), fin, headerBlock: payload.subarray(4) };
    case FrameType.headers:
      return { kind: "headers", streamId: streamId(), fin, headerBlock: payload.subarray(4) };
    case FrameType.rstStream:
      return { kind: "rstStream", streamId: streamId(), status: word(1) };
    case FrameType.settings:
      return { kind: "settings", entries: Array.from({ length: word(0) }, (_, index) => ({ id: word(1 + index * 2) & 0xffffff, value: word(2 + index * 2) })) };
    case FrameType.ping:
      return { kind: "ping", id: word(0) };
    case FrameType.goAway:
      return { kind: "goAway", lastGoodStreamId: streamId(), status: word(1) };
    case FrameType.windowUpdate:
      return { kind: "windowUpdate", streamId: streamId(), delta: word(1) & STREAM_ID_MASK };
    default:
      return { kind: "unknown", type };
  }
}

/** The uncompressed header block: a count, then length-prefixed names and values (all 32-bit big-endian). */
export function encodeHeaderPairs(pairs: HeaderPairs): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [words(pairs.length)];
  for (const [name, value] of pairs) {
    if (name === "" || name !== name.toLowerCase()) throw new RangeError(`SPDY/3 header name ${JSON.stringify(name)} must be non-empty lower case`);
    for (const text of [name, value]) {
      const bytes = encoder.encode(text);
      parts.push(words(bytes.length), bytes);
    }
  }
  return concat(...parts);
}

export function decodeHeaderPairs(block: Uint8Array): Array<[string, string]> {
  const view = new DataView(block.buffer, block.byteOffset, block.length);
  const decoder = new TextDecoder();
  let offset = 0;
  const next = () => {
    if (offset + 4 > block.length) throw new StreamProtocolError("a SPDY header block ends inside a length");
    const length = view.getUint32(offset);
    if (offset + 4 + length > block.length) throw new StreamProtocolError(`a SPDY header block announces ${length} bytes past its end`);
    const text = decoder.decode(block.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
    return text;
  };
  if (block.length < 4) throw new StreamProtocolError("a SPDY header block is shorter than its pair count");
  const count = view.getUint32(0);
  offset = 4;
  const pairs: Array<[string, string]> = [];
  for (let index = 0; index < count; index++) pairs.push([next(), next()]);
  return pairs;
}
