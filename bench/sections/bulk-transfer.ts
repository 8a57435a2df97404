// Bulk transfers for the port-forward rows, over any byte stream (a TCP socket, a port-forward stream): the client
// half, and the chunked writer both halves share. A plain module: the bulk server worker imports it too.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import type { Duplex, Writable } from "node:stream";

export const BULK_HEADER_BYTES = 9;
/** Written over and over: random, so nothing on the way can compress it. */
export const BULK_CHUNK = randomBytes(64 * 1024);

/** Writes `bytes` bytes of `chunk`, waiting for the stream to drain as it asks. */
export async function writeBulk(stream: Writable, bytes: number, chunk: Buffer): Promise<void> {
  let left = bytes;
  while (left > 0) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    if (!stream.write(piece)) await once(stream, "drain");
  }
}

function header(op: "U" | "D", bytes: number): Buffer {
  const buffer = Buffer.alloc(BULK_HEADER_BYTES);
  buffer.write(op, 0, "latin1");
  buffer.writeBigUInt64BE(BigInt(bytes), 1);
  return buffer;
}

/** Reads until `bytes` bytes have come, or fails when the stream ends first. */
async function readBulk(stream: Duplex, bytes: number): Promise<void> {
  let received = 0;
  for await (const chunk of stream) {
    received += (chunk as Buffer).length;
    if (received >= bytes) return;
  }
  throw new Error(`the stream ended after ${received} of ${bytes} bytes`);
}

/** MB/s (10^6 bytes) of sending `bytes` to the bulk server over `stream`, until it says it has them all. */
export async function uploadRate(stream: Duplex, bytes: number): Promise<number> {
  const started = performance.now();
  stream.write(header("U", bytes));
  await Promise.all([writeBulk(stream, bytes, BULK_CHUNK), readBulk(stream, 1)]);
  return bytes / 1e6 / ((performance.now() - started) / 1000);
}

/** MB/s of receiving `bytes` from the bulk server over `stream`. */
export async function downloadRate(stream: Duplex, bytes: number): Promise<number> {
  const started = performance.now();
  stream.write(header("D", bytes));
  await readBulk(stream, bytes);
  return bytes / 1e6 / ((performance.now() - started) / 1000);
}
