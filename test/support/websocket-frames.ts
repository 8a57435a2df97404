import { createHash } from "node:crypto";
import type { Duplex } from "node:stream";

/**
 * The server side of RFC 6455, just enough for a protocol test server: handshake key, frame encoding and
 * incremental parsing (masking, 7/16/64-bit lengths, fragmentation), ping/pong and the close handshake.
 * Written from the RFC independently of the client (undici), so the two check each other.
 */

/** RFC 6455 §1.3: appended to Sec-WebSocket-Key before hashing. */
export const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface Frame {
  fin: boolean;
  opcode: number;
  /** The masking key when the frame was masked (client to server frames must be). */
  mask?: Buffer;
  /** Unmasked payload. */
  payload: Buffer;
}

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2). */
export function acceptKey(key: string): string {
  return createHash("sha1").update(key + WEBSOCKET_GUID).digest("base64");
}

/** Encodes one frame; masks the payload when `mask` is given (4 bytes). */
export function encodeFrame(frame: { fin?: boolean; opcode: number; payload: Uint8Array; mask?: Uint8Array }): Buffer {
  const payload = Buffer.from(frame.payload);
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (frame.mask ? 4 : 0));
  header[0] = ((frame.fin ?? true) ? 0x80 : 0) | frame.opcode;
  header[1] = (frame.mask ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) header.writeUInt16BE(length, 2);
  if (lengthBytes === 8) header.writeBigUInt64BE(BigInt(length), 2);
  if (frame.mask) {
    if (frame.mask.length !== 4) throw new RangeError("a masking key is 4 bytes");
    Buffer.from(frame.mask).copy(header, 2 + lengthBytes);
    for (let i = 0; i < length; i++) payload[i]! ^= frame.mask[i % 4]!;
  }
  return Buffer.concat([header, payload]);
}

/** Parses frames from a byte stream that may split or join them arbitrarily. */
export class FrameParser {
  #buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): Frame[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.#next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  #next(): Frame | undefined {
    const buffer = this.#buffer;
    if (buffer.length < 2) return undefined;
    const first = buffer[0]!;
    const second = buffer[1]!;
    if (first & 0x70) throw new Error("RSV bits set without a negotiated extension");
    let offset = 2;
    let length = second & 0x7f;
    if (length === 126) {
      if (buffer.length < 4) return undefined;
      length = buffer.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buffer.length < 10) return undefined;
      const big = buffer.readBigUInt64BE(2);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("frame length beyond 2^53");
      length = Number(big);
      offset = 10;
    }
    const masked = (second & 0x80) !== 0;
    const mask = masked ? buffer.subarray(offset, offset + 4) : undefined;
    if (masked) offset += 4;
    if (buffer.length < offset + length) return undefined;
    const payload = Buffer.from(buffer.subarray(offset, offset + length));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    this.#buffer = buffer.subarray(offset + length);
    return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, ...(mask && { mask: Buffer.from(mask) }), payload };
  }
}

/** One server-side connection after the 101: whole messages in, unmasked frames out. */
export class ServerWebSocket {
  readonly protocol: string;
  #socket: Duplex;
  #parser = new FrameParser();
  #fragments: Buffer[] = [];
  #fragmentOpcode = 0;
  #closeSent = false;
  #onMessage: (data: Buffer, binary: boolean) => void = () => {};
  #onClose: (code: number) => void = () => {};
  /** Close code the client sent, once it did. */
  closeCode: number | undefined;

  constructor(socket: Duplex, protocol: string) {
    this.#socket = socket;
    this.protocol = protocol;
    socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    socket.on("error", () => {});
    socket.on("close", () => this.#onClose(this.closeCode ?? 1006));
  }

  onMessage(listener: (data: Buffer, binary: boolean) => void): void {
    this.#onMessage = listener;
  }
  onClose(listener: (code: number) => void): void {
    this.#onClose = listener;
  }

  get open(): boolean {
    return !this.#closeSent && !this.#socket.destroyed;
  }

  send(data: Uint8Array): void {
    if (this.open) this.#socket.write(encodeFrame({ opcode: Opcode.binary, payload: data }));
  }

  /** Drops the TCP connection without a close frame, as a crashing server would. */
  terminate(): void {
    this.#socket.destroy();
  }

  /** Starts the closing handshake; the client answers and closes TCP. */
  close(code = 1000, reason = ""): void {
    if (!this.open) return;
    this.#closeSent = true;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.#socket.write(encodeFrame({ opcode: Opcode.close, payload }));
    // A client that never answers must not keep the socket (and the test) alive.
    const timer = setTimeout(() => this.#socket.destroy(), 2000);
    this.#socket.once("close", () => clearTimeout(timer));
  }

  #receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.#parser.push(chunk);
    } catch {
      this.#socket.destroy();
      return;
    }
    for (const frame of frames) {
      if (!frame.mask) {
        // RFC 6455 §5.1: a server must close the connection on an unmasked client frame.
        this.close(1002, "unmasked client frame");
        return;
      }
      switch (frame.opcode) {
        case Opcode.ping:
          if (this.open) this.#socket.write(encodeFrame({ opcode: Opcode.pong, payload: frame.payload }));
          break;
        case Opcode.pong:
          break;
        case Opcode.close:
          this.closeCode = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
          if (!this.#closeSent) {
            this.#closeSent = true;
            this.#socket.write(encodeFrame({ opcode: Opcode.close, payload: frame.payload.subarray(0, 2) }));
          }
          this.#socket.end();
          return;
        case Opcode.continuation:
          this.#fragments.push(frame.payload);
          if (frame.fin) this.#deliver(this.#fragmentOpcode, Buffer.concat(this.#fragments.splice(0)));
          break;
        default:
          if (frame.fin) this.#deliver(frame.opcode, frame.payload);
          else {
            this.#fragmentOpcode = frame.opcode;
            this.#fragments = [frame.payload];
          }
      }
    }
  }

  #deliver(opcode: number, data: Buffer): void {
    this.#onMessage(data, opcode === Opcode.binary);
  }
}
