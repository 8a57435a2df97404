// Go's address parsers as the API server's format checks run them: k8s.io/utils' "sloppy" fork of Go 1.16's ParseIP/ParseCIDR (leading zeros taken; ipv4, cidr), today's net.ParseIP (ipv6) and net.ParseMAC.

const IPV4_BYTES = 4;
const IPV6_BYTES = 16;
/** Go's `big`: a number this large stops the digit loop as an overflow. */
const BIG = 0xffffff;

/** Go's `dtoi`: decimal digits from the start (leading zeros allowed); `length` 0 means none. */
function decimalPrefix(text: string): { value: number; length: number } {
  let value = 0;
  let length = 0;
  while (length < text.length && text[length]! >= "0" && text[length]! <= "9") {
    value = value * 10 + text.charCodeAt(length) - 48;
    if (value >= BIG) return { value: BIG, length: 0 };
    length++;
  }
  return { value, length };
}

/** Go's `xtoi`: hexadecimal digits from the start (any count, as long as the value stays small). */
function hexPrefix(text: string): { value: number; length: number } {
  let value = 0;
  let length = 0;
  while (length < text.length && /[0-9a-fA-F]/.test(text[length]!)) {
    value = value * 16 + Number.parseInt(text[length]!, 16);
    if (value >= BIG) return { value: BIG, length: 0 };
    length++;
  }
  return { value, length };
}

/** Go 1.16's `parseIPv4`: four dotted decimals up to 255, leading zeros allowed (not when `strict`, as today's Go), nothing after. */
function isIPv4Text(text: string, strict = false): boolean {
  if (strict) return /^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/.test(text);
  let rest = text;
  for (let part = 0; part < IPV4_BYTES; part++) {
    if (part > 0) {
      if (rest[0] !== ".") return false;
      rest = rest.slice(1);
    }
    const { value, length } = decimalPrefix(rest);
    if (length === 0 || value > 0xff) return false;
    rest = rest.slice(length);
  }
  return rest.length === 0;
}

/** Go 1.16's `parseIPv6`: hex groups, one `::`, an IPv4 tail where it fits; no zone. `strict`: today's Go (netip), four hex digits a group at most and a strict IPv4 tail. */
function isIPv6Text(text: string, strict = false): boolean {
  let rest = text;
  let filled = 0;
  let ellipsis = false;
  if (rest.startsWith("::")) {
    ellipsis = true;
    rest = rest.slice(2);
    if (rest.length === 0) return true;
  }
  while (filled < IPV6_BYTES) {
    const { value, length } = hexPrefix(rest);
    if (length === 0 || (strict && length > 4) || value > 0xffff) return false;
    if (rest[length] === ".") {
      if ((!ellipsis && filled !== IPV6_BYTES - IPV4_BYTES) || filled + IPV4_BYTES > IPV6_BYTES) return false;
      if (!isIPv4Text(rest, strict)) return false;
      filled += IPV4_BYTES;
      rest = "";
      break;
    }
    filled += 2;
    rest = rest.slice(length);
    if (rest.length === 0) break;
    if (rest[0] !== ":" || rest.length === 1) return false;
    rest = rest.slice(1);
    if (rest[0] === ":") {
      if (ellipsis) return false;
      ellipsis = true;
      rest = rest.slice(1);
      if (rest.length === 0) break;
    }
  }
  if (rest.length !== 0) return false;
  return ellipsis ? filled < IPV6_BYTES : filled === IPV6_BYTES;
}

/**
 * `net.ParseIP`: the first `.` or `:` decides which grammar the text is read with. Sloppy (k8s.io/utils) by default;
 * `strict` as today's Go (the live v1.37.2 takes `01.2.3.4` as ipv4 but refuses `00001::1` and `::ffff:01.2.3.4` as ipv6).
 */
export function parsesAsIP(text: string, strict = false): boolean {
  for (const character of text) {
    if (character === ".") return isIPv4Text(text, strict);
    if (character === ":") return isIPv6Text(text, strict);
  }
  return false;
}

/** `net.ParseCIDR` (sloppy): an address read as IPv4 else IPv6, a slash, and a decimal prefix length within its size. */
export function parsesAsCIDR(text: string): boolean {
  const slash = text.indexOf("/");
  if (slash < 0) return false;
  const address = text.slice(0, slash);
  const bits = isIPv4Text(address) ? 8 * IPV4_BYTES : isIPv6Text(address) ? 8 * IPV6_BYTES : 0;
  const mask = text.slice(slash + 1);
  const { value, length } = decimalPrefix(mask);
  return bits > 0 && length > 0 && length === mask.length && value <= bits;
}

/** `net.ParseMAC`: 6, 8 or 20 octets as `xx:xx:…`, `xx-xx-…` or `xxxx.xxxx.…`. */
export function parsesAsMAC(text: string): boolean {
  const octets = (count: number) => count === 6 || count === 8 || count === 20;
  if (text.length < 14) return false;
  if (text[2] === ":" || text[2] === "-") {
    if ((text.length + 1) % 3 !== 0 || !octets((text.length + 1) / 3)) return false;
    const separator = text[2]!;
    return text.split(separator).every((octet) => /^[0-9a-fA-F]{2}$/.test(octet));
  }
  if (text[4] === ".") {
    if ((text.length + 1) % 5 !== 0 || !octets((2 * (text.length + 1)) / 5)) return false;
    return text.split(".").every((group) => /^[0-9a-fA-F]{4}$/.test(group));
  }
  return false;
}
