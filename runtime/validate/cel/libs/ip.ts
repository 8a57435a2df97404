// Kubernetes' CEL IP and CIDR libraries: ip(), isIP(), ip.isCanonical(), cidr(), isCIDR() and their methods, as Go's netip reads addresses.
import { celFunc, celMethod, CelScalar, type CelFunc } from "@bufbuild/cel";
import { opaqueType } from "../opaque.js";

const { STRING, BOOL, INT } = CelScalar;

/** An address as 16 bytes (IPv4 in the first 4) with its family. */
export interface Address {
  readonly family: 4 | 6;
  readonly bytes: readonly number[];
}

function parseV4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

function groups(text: string): number[] | undefined {
  if (text === "") return [];
  const parts = text.split(":");
  if (!parts.every((p) => /^[0-9a-fA-F]{1,4}$/.test(p))) return undefined;
  return parts.flatMap((p) => [parseInt(p, 16) >> 8, parseInt(p, 16) & 255]);
}

function parseV6(text: string): number[] | undefined {
  // zones and embedded IPv4 (which the server takes in some forms, refuses in others): the server decides
  if (text.includes("%") || text.includes(".")) throw new Error(`the IPv6 form of ${JSON.stringify(text)} is left to the server`);
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const [head, tail] = [groups(halves[0] as string), halves.length === 2 ? groups(halves[1] as string) : []];
  if (!head || !tail) return undefined;
  const missing = 16 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 2) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

export function parseAddress(text: string): Address | undefined {
  const v4 = parseV4(text);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = text.includes(":") ? parseV6(text) : undefined;
  return v6 ? { family: 6, bytes: v6 } : undefined;
}

/** The canonical text (RFC 5952 for IPv6: lower case, the longest run of two or more zero groups as ::). */
export function formatAddress({ family, bytes }: Address): string {
  if (family === 4) return bytes.join(".");
  const words = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number));
  let [best, bestLength] = [-1, 1];
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
  }
  const hex = (list: number[]) => list.map((w) => w.toString(16)).join(":");
  return best < 0 ? hex(words) : `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLength))}`;
}

function address(text: string): Address {
  const parsed = parseAddress(text);
  if (!parsed) throw new Error(`IP Address ${JSON.stringify(text)} parse error during conversion from string`);
  return parsed;
}

export interface Prefix {
  readonly address: Address;
  readonly bits: number;
}

export function parsePrefix(text: string): Prefix | undefined {
  const [ip, bits, extra] = text.split("/");
  const parsed = ip === undefined ? undefined : parseAddress(ip);
  if (bits !== undefined && /^0\d/.test(bits)) throw new Error(`the prefix length of ${JSON.stringify(text)} is left to the server`);
  if (!parsed || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) return undefined;
  return Number(bits) > (parsed.family === 4 ? 32 : 128) ? undefined : { address: parsed, bits: Number(bits) };
}

function mask({ address: { family, bytes }, bits }: Prefix): Address {
  return { family, bytes: bytes.map((b, i) => (i * 8 >= bits ? 0 : i * 8 + 8 <= bits ? b : b & (0xff << (8 - (bits - i * 8))) & 0xff)) };
}

function contains(prefix: Prefix, candidate: Address): boolean {
  return candidate.family === prefix.address.family && formatAddress(mask({ address: candidate, bits: prefix.bits })) === formatAddress(mask(prefix));
}

const IpType = opaqueType<Address>("IP");
const CidrType = opaqueType<Prefix>("CIDR");
const IP = IpType.type;
const CIDR = CidrType.type;
const ip = (value: Address) => IpType.make(formatAddress(value), value) as never;
const cidr = (value: Prefix) => CidrType.make(`${formatAddress(value.address)}/${value.bits}`, value) as never;
const readIp = (value: unknown) => IpType.read(value);
const readCidr = (value: unknown) => CidrType.read(value);

function prefix(text: string): Prefix {
  const parsed = parsePrefix(text);
  if (!parsed) throw new Error(`network address parse error during conversion from string: ${JSON.stringify(text)}`);
  return parsed;
}

const first = (a: Address) => a.bytes[0] as number;
const isZero = (a: Address) => a.bytes.every((b) => b === 0);
const isLoopback = (a: Address) => (a.family === 4 ? first(a) === 127 : a.bytes.slice(0, 15).every((b) => b === 0) && a.bytes[15] === 1);
const isLinkLocalUnicast = (a: Address) => (a.family === 4 ? first(a) === 169 && a.bytes[1] === 254 : first(a) === 0xfe && ((a.bytes[1] as number) & 0xc0) === 0x80);
const isLinkLocalMulticast = (a: Address) => (a.family === 4 ? first(a) === 224 && a.bytes[1] === 0 && a.bytes[2] === 0 : first(a) === 0xff && ((a.bytes[1] as number) & 0x0f) === 2);
const isMulticast = (a: Address) => (a.family === 4 ? first(a) >= 224 && first(a) < 240 : first(a) === 0xff);
const isBroadcast = (a: Address) => a.family === 4 && a.bytes.every((b) => b === 255);
const isGlobalUnicast = (a: Address) => !isZero(a) && !isLoopback(a) && !isLinkLocalUnicast(a) && !isMulticast(a) && !isBroadcast(a);

const addressTests: Record<string, (a: Address) => boolean> = { isUnspecified: isZero, isLoopback, isLinkLocalMulticast, isLinkLocalUnicast, isGlobalUnicast };

export const ipFunctions: CelFunc[] = [
  celFunc("ip", [STRING], IP, (text) => ip(address(text))),
  celFunc("isIP", [STRING], BOOL, (text) => parseAddress(text) !== undefined),
  celFunc("ip.isCanonical", [STRING], BOOL, (text) => formatAddress(address(text)) === text),
  celMethod("family", IP, [], INT, function () {
    return BigInt(readIp(this).family);
  }),
  ...Object.entries(addressTests).map(([name, test]) =>
    celMethod(name, IP, [], BOOL, function () {
      return test(readIp(this));
    }),
  ),
  celFunc("cidr", [STRING], CIDR, (text) => cidr(prefix(text))),
  celFunc("isCIDR", [STRING], BOOL, (text) => parsePrefix(text) !== undefined),
  celMethod("containsIP", CIDR, [IP], BOOL, function (other) {
    return contains(readCidr(this), readIp(other));
  }),
  celMethod("containsIP", CIDR, [STRING], BOOL, function (other) {
    return contains(readCidr(this), address(other));
  }),
  celMethod("containsCIDR", CIDR, [CIDR], BOOL, function (other) {
    const [outer, inner] = [readCidr(this), readCidr(other)];
    return inner.bits >= outer.bits && contains(outer, inner.address);
  }),
  celMethod("containsCIDR", CIDR, [STRING], BOOL, function (other) {
    const [outer, inner] = [readCidr(this), prefix(other)];
    return inner.bits >= outer.bits && contains(outer, inner.address);
  }),
  celMethod("ip", CIDR, [], IP, function () {
    return ip(readCidr(this).address);
  }),
  celMethod("masked", CIDR, [], CIDR, function () {
    const value = readCidr(this);
    return cidr({ address: mask(value), bits: value.bits });
  }),
  celMethod("prefixLength", CIDR, [], INT, function () {
    return BigInt(readCidr(this).bits);
  }),
];
