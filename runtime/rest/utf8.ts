// Where a chunk of UTF-8 stops holding whole characters: bodies arrive in chunks that may split one.

/** Where the last character that `bytes` hold whole ends: a lead byte with fewer continuation bytes after it than it needs is left out. */
export function completeCharactersEnd(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= 3 && back <= length; back++) {
    const byte = bytes[length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needs > back ? length - back : length;
  }
  return length;
}
