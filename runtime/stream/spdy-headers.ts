// SPDY/3 header compression: one zlib stream per direction for the whole session, primed with the spec's dictionary.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from "node:zlib";
import { decodeHeaderPairs, encodeHeaderPairs, type HeaderPairs } from "./spdy-frames.js";
import { StreamProtocolError } from "./errors.js";

/** The names SPDY/3 (section 2.6.10.1) puts first in the dictionary, each as a 32-bit length and the name. */
const DICTIONARY_NAMES = [
  "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding", "accept-language", "accept-ranges", "age",
  "allow", "authorization", "cache-control", "connection", "content-base", "content-encoding", "content-language", "content-length",
  "content-location", "content-md5", "content-range", "content-type", "date", "etag", "expect", "expires", "from", "host", "if-match",
  "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "last-modified", "location", "max-forwards", "pragma",
  "proxy-authenticate", "proxy-authorization", "range", "referer", "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade",
  "user-agent", "vary", "via", "warning", "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public",
  "set-cookie", "keep-alive", "origin",
];
/** The dictionary's tail: status codes and phrases, dates, media types and encodings, as the spec lists them. */
const DICTIONARY_TAIL =
  "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505" +
  "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not Found" +
  "500 Internal Server Error501 Not Implemented503 Service Unavailable" +
  "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT" +
  "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript," +
  "publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

/** The SPDY/3 header dictionary (1423 bytes). */
export const SPDY3_DICTIONARY: Buffer = Buffer.concat([
  ...DICTIONARY_NAMES.flatMap((name) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(name.length);
    return [length, Buffer.from(name, "latin1")];
  }),
  Buffer.from(DICTIONARY_TAIL, "latin1"),
]);

/** Runs `input` through a long-lived zlib stream and returns what one sync flush yields (zlib contexts span header blocks). */
function flushThrough(stream: Deflate | Inflate, input: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (stream.destroyed) return reject(new Error("the session's header compression is closed"));
    const onError = (error: Error) => reject(error);
    stream.once("error", onError);
    stream.write(input);
    stream.flush(constants.Z_SYNC_FLUSH, () => {
      stream.off("error", onError);
      if (stream.destroyed) return reject(new Error("the session's header compression closed during the block"));
      const chunks: Buffer[] = [];
      for (let chunk: Buffer | null = stream.read(); chunk !== null; chunk = stream.read()) chunks.push(chunk);
      resolve(Buffer.concat(chunks));
    });
  });
}

/**
 * The two compression contexts of one session. Calls must not overlap per direction (the session serialises
 * them): each header block is one sync-flushed piece of a single zlib stream.
 */
export class HeaderCompression {
  private readonly deflate = createDeflate({ dictionary: SPDY3_DICTIONARY, level: constants.Z_BEST_COMPRESSION });
  private readonly inflate = createInflate({ dictionary: SPDY3_DICTIONARY });

  compress(pairs: HeaderPairs): Promise<Buffer> {
    return flushThrough(this.deflate, encodeHeaderPairs(pairs));
  }

  async decompress(block: Uint8Array): Promise<Array<[string, string]>> {
    let plain: Buffer;
    try {
      plain = await flushThrough(this.inflate, block);
    } catch (error) {
      throw new StreamProtocolError(`a SPDY header block does not inflate with the SPDY/3 dictionary: ${(error as Error).message}`);
    }
    return decodeHeaderPairs(plain);
  }

  close(): void {
    this.deflate.destroy();
    this.inflate.destroy();
  }
}
