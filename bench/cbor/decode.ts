// Decodes the CBOR a kube-apiserver sends (KEP-4222) to exactly what JSON.parse gives for its JSON answer:
// the bench's CBOR contender and the e2e check that both formats say the same. Not in the runtime: it is
// slower than the JSON path it would replace (README, "CBOR").
import { Token, Tokenizer, tokensToObject, Type, type DecodeOptions } from "cborg";

/** RFC 8949 §3.4.5.2: the byte string that follows is a Go `[]byte`, which JSON carries as base64. */
const EXPECTED_BASE64 = 22;
/** RFC 8949 §3.4.6: self-described CBOR; the server starts every answer, and every object in a watch event, with it. */
const SELF_DESCRIBED = 55799;
const FIRST_BYTE_STRING_HEAD = 0x40;
const LAST_BYTE_STRING_HEAD = 0x5b;

/**
 * The server writes every Go string (keys included) as a CBOR byte string, so that it never has to check
 * UTF-8 on the way out. This tokenizer hands cborg each byte string as the text it stands for (the bytes
 * after tag 22 as base64), read once from the input: no byte copy and no second walk over the result.
 */
class KubernetesTokenizer extends Tokenizer {
  readonly #bytes: Buffer;
  #base64Next = false;

  constructor(data: Uint8Array, options: DecodeOptions) {
    super(data, options);
    this.#bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }

  override next(): Token {
    const head = this.data[this._pos]!;
    if (head >= FIRST_BYTE_STRING_HEAD && head <= LAST_BYTE_STRING_HEAD) return this.#byteString(head & 31);
    const token = super.next();
    this.#base64Next = token.type === Type.tag && token.value === EXPECTED_BASE64;
    // JSON.parse rounds integers beyond 2^53 to the nearest double; so does this.
    if (typeof token.value === "bigint") token.value = Number(token.value);
    return token;
  }

  #byteString(minor: number): Token {
    const bytes = this.#bytes;
    const at = this._pos + 1;
    const extra = minor < 24 ? 0 : 2 ** (minor - 24);
    const length = minor < 24 ? minor : minor === 24 ? bytes[at]! : minor === 25 ? bytes.readUInt16BE(at) : minor === 26 ? bytes.readUInt32BE(at) : Number(bytes.readBigUInt64BE(at));
    const start = at + extra;
    const end = start + length;
    if (end > bytes.length) throw new Error(`CBOR decode error: the input ends inside a byte string of ${length} bytes at ${this._pos}`);
    const text = bytes.toString(this.#base64Next ? "base64" : "utf8", start, end);
    this.#base64Next = false;
    this._pos = end;
    return new Token(Type.string, text, end - at + 1);
  }
}

const OPTIONS: DecodeOptions = {
  allowBigInt: true,
  allowUndefined: false,
  // Tag 22 was handled by the tokenizer (its content already is base64 text); tag 55799 only marks the format.
  tags: { [EXPECTED_BASE64]: (decode) => decode(), [SELF_DESCRIBED]: (decode) => decode() },
};

/** One CBOR data item (a whole answer) as JSON.parse would give the same answer in JSON. */
export function decodeKubernetesCbor<T = unknown>(bytes: Uint8Array): T {
  const tokenizer = new KubernetesTokenizer(bytes, OPTIONS);
  const value = tokensToObject(tokenizer, { ...OPTIONS, tokenizer }) as T;
  if (!tokenizer.done()) throw new Error(`CBOR decode error: ${bytes.length - tokenizer.pos()} bytes after the answer's one data item`);
  return value;
}

/** Every data item of a CBOR sequence (RFC 8742: a watch answered as `application/cbor-seq`), in order. */
export function decodeKubernetesCborSequence<T = unknown>(bytes: Uint8Array): T[] {
  const tokenizer = new KubernetesTokenizer(bytes, OPTIONS);
  const items: T[] = [];
  while (!tokenizer.done()) items.push(tokensToObject(tokenizer, { ...OPTIONS, tokenizer }) as T);
  return items;
}
