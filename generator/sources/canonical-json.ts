/**
 * JSON with object keys sorted at every level, so equal data always serializes to equal bytes
 * (for hashes and for the manifest). `indent` as in JSON.stringify.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  // A null-prototype object, so a `__proto__` key is data like any other (on `{}` it would set the prototype).
  const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort()) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry !== undefined) sorted[key] = sortKeys(entry);
  }
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
