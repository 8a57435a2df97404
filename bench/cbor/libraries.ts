// The other general CBOR libraries the bench compares with cborg, loaded only when installed
// (`npm i --no-save cbor-x@1.6.9 cbor2@2.3.0`): neither reads Kubernetes' byte-string keys as object keys
// by itself, so each answer is walked once more to become what JSON.parse gives.

/** A sequence decoder (a list answer is a sequence of one), or why there is none. */
export type LibraryDecoder = { decode(data: Buffer): unknown[] } | { missing: string };

const EXPECTED_BASE64 = 22;

interface Tagged {
  tag: number;
  value?: unknown;
  contents?: unknown;
}

/**
 * What JSON.parse would give: byte strings as UTF-8 text, tag 22 as base64, Maps (byte-string keys) as
 * objects, bigints rounded to numbers. Objects and arrays are rewritten in place.
 */
export function asJsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8");
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = asJsonValue(value[i]);
    return value;
  }
  if (value instanceof Map) {
    const object: Record<string, unknown> = {};
    for (const [key, entry] of value) object[asJsonValue(key) as string] = asJsonValue(entry);
    return object;
  }
  const tagged = value as Tagged;
  if (typeof tagged.tag === "number") {
    const inner = tagged.value ?? tagged.contents;
    return tagged.tag === EXPECTED_BASE64 ? Buffer.from(inner as Uint8Array).toString("base64") : asJsonValue(inner);
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) object[key] = asJsonValue(object[key]);
  return object;
}

interface CborX {
  Decoder: new (options: object) => { decodeMultiple(data: Buffer): unknown[] };
}
interface Cbor2 {
  decodeSequence(data: Uint8Array, options: object): Iterable<unknown>;
}

/** cbor-x: its maps must come as Maps (it refuses byte strings as object keys); tag 55799 it unwraps itself. */
export async function loadCborX(): Promise<LibraryDecoder> {
  const library = await optional<CborX>("cbor-x");
  if ("missing" in library) return library;
  const decoder = new library.Decoder({ mapsAsObjects: false, useRecords: false });
  return { decode: (data) => decoder.decodeMultiple(data).map(asJsonValue) };
}

/** cbor2: rounds unsafe integers itself; tags 22 and 55799 come as Tag objects. */
export async function loadCbor2(): Promise<LibraryDecoder> {
  const library = await optional<Cbor2>("cbor2");
  if ("missing" in library) return library;
  return { decode: (data) => [...library.decodeSequence(data, { convertUnsafeIntsToFloat: true })].map(asJsonValue) };
}

async function optional<T>(name: string): Promise<T | { missing: string }> {
  try {
    return (await import(name)) as T;
  } catch {
    return { missing: `${name} is not installed: npm i --no-save cbor-x@1.6.9 cbor2@2.3.0` };
  }
}
