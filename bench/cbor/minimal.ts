// A decoder for only the CBOR kube-apiserver writes, with no library: the bench's bound on what any
// JavaScript CBOR decoder could gain over JSON.parse here. Not a candidate for the runtime (no limits on
// nesting, no checks a decoder of untrusted input needs).

const SELF_DESCRIBED = 55799;
const EXPECTED_BASE64 = 22;

/** Decodes the items of `data` (one answer, or a watch's sequence) as JSON.parse gives their JSON. */
export function decodeMinimal(data: Buffer): unknown[] {
  const reader = new Reader(data);
  const items: unknown[] = [];
  while (reader.at < data.length) items.push(reader.item());
  return items;
}

class Reader {
  at = 0;
  constructor(private readonly data: Buffer) {}

  item(): unknown {
    const head = this.data[this.at++]!;
    const minor = head & 31;
    switch (head >> 5) {
      case 0:
        return this.argument(minor);
      case 1:
        return -1 - this.argument(minor);
      case 2:
      case 3:
        return this.text(this.argument(minor), "utf8");
      case 4:
        return this.array(this.argument(minor));
      case 5:
        return this.map(this.argument(minor));
      case 6:
        return this.tagged(this.argument(minor));
      default:
        return this.simple(minor);
    }
  }

  private argument(minor: number): number {
    const data = this.data;
    const at = this.at;
    if (minor < 24) return minor;
    if (minor === 24) return (this.at++, data[at]!);
    if (minor === 25) return ((this.at += 2), data.readUInt16BE(at));
    if (minor === 26) return ((this.at += 4), data.readUInt32BE(at));
    if (minor === 27) return ((this.at += 8), Number(data.readBigUInt64BE(at)));
    throw new Error(`CBOR: indefinite lengths are not written by kube-apiserver (byte ${at - 1})`);
  }

  private text(length: number, encoding: "utf8" | "base64"): string {
    const start = this.at;
    this.at += length;
    if (this.at > this.data.length) throw new Error(`CBOR: the input ends inside a string at ${start}`);
    return this.data.toString(encoding, start, this.at);
  }

  private array(length: number): unknown[] {
    const values = new Array<unknown>(length);
    for (let i = 0; i < length; i++) values[i] = this.item();
    return values;
  }

  private map(length: number): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < length; i++) {
      const key = this.item() as string;
      object[key] = this.item();
    }
    return object;
  }

  private tagged(tag: number): unknown {
    if (tag === SELF_DESCRIBED) return this.item();
    if (tag !== EXPECTED_BASE64) throw new Error(`CBOR: tag ${tag} is not one kube-apiserver writes`);
    return this.text(this.argument(this.data[this.at++]! & 31), "base64");
  }

  private simple(minor: number): unknown {
    const data = this.data;
    const at = this.at;
    if (minor === 20 || minor === 21) return minor === 21;
    if (minor === 22) return null;
    if (minor === 25) return ((this.at += 2), halfFloat(data.readUInt16BE(at)));
    if (minor === 26) return ((this.at += 4), data.readFloatBE(at));
    if (minor === 27) return ((this.at += 8), data.readDoubleBE(at));
    throw new Error(`CBOR: simple value ${minor} is not one kube-apiserver writes`);
  }
}

/** IEEE 754 binary16, which the server uses for floats that fit it. */
function halfFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 31;
  const fraction = bits & 1023;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
