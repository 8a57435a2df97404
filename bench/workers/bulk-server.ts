// The far end of the port-forward rows, in its own process so the bench's client does not share its event loop:
// a TCP server on 127.0.0.1 that, per connection, reads a 9-byte request ("U" or "D", then a big-endian uint64 size)
// and either takes that many bytes and answers one byte, or sends that many bytes. Prints `port N` once listening.
import { createServer, type AddressInfo, type Socket } from "node:net";
import { BULK_CHUNK, BULK_HEADER_BYTES, writeBulk } from "../sections/bulk-transfer.js";

function serve(socket: Socket): void {
  socket.on("error", () => {});
  let header = Buffer.alloc(0);
  let remaining = -1;
  socket.on("data", (chunk: Buffer) => {
    if (remaining < 0) {
      header = Buffer.concat([header, chunk]);
      if (header.length < BULK_HEADER_BYTES) return;
      const op = String.fromCharCode(header[0]!);
      remaining = Number(header.readBigUInt64BE(1));
      chunk = header.subarray(BULK_HEADER_BYTES);
      if (op === "D") {
        void writeBulk(socket, remaining, BULK_CHUNK);
        return;
      }
    }
    remaining -= chunk.length;
    if (remaining === 0) socket.write("k");
  });
}

const server = createServer(serve);
server.listen(0, "127.0.0.1", () => process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`));
