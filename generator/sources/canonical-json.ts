/**
 * JSON with object keys sorted at every level, so equal data always serializes to equal bytes
 * (for hashes and for the manifest). `indent` as in JSON.stringify.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

/**
 * The value with keys sorted at every level. Parts already in order are returned as they are, not copied:
 * a summary of thousands of CRDs is built in order, and a sorted copy of it cost hundreds of MB.
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copied = false;
    const items = value.map((item: unknown) => {
      const sorted = sortKeys(item);
      if (sorted !== item) copied = true;
      return sorted;
    });
    return copied ? items : value;
  }
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  const entries = keys.map((key, index) => {
    const entry = record[key];
    const sorted = sortKeys(entry);
    if (sorted !== entry || entry === undefined || (index > 0 && !(keys[index - 1]! < key))) inOrder = false;
    return sorted;
  });
  if (inOrder) return value;
  // A null-prototype object, so a `__proto__` key is data like any other (on `{}` it would set the prototype).
  const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const order = keys.map((key, index) => ({ key, entry: entries[index] })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { key, entry } of order) if (entry !== undefined) sorted[key] = entry;
  return sorted;
}

/**
 * Whether `text` is `canonicalJson(value, indent)`. When every object's keys already enumerate in sorted order
 * (as in anything parsed from canonical JSON) that is JSON.stringify's output, at native speed, not after a
 * sorted copy of the whole value; otherwise the copy decides.
 */
export function isCanonicalJson(value: unknown, text: string, indent?: number): boolean {
  return (keysInOrder(value) ? JSON.stringify(value, null, indent) : canonicalJson(value, indent)) === text;
}

/**
 * Keys strictly ascending at every level. Then they are exactly the order sortKeys gives: its objects
 * enumerate integer-like keys first, numerically, which keys already ascending as strings can only match.
 */
function keysInOrder(value: unknown): boolean {
  if (value === null || typeof value !== "object") return true;
  if (Array.isArray(value)) return value.every(keysInOrder);
  const keys = Object.keys(value);
  for (let index = 1; index < keys.length; index++) if (!(keys[index - 1]! < keys[index]!)) return false;
  return keys.every((key) => keysInOrder((value as Record<string, unknown>)[key]));
}
