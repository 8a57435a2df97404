import { createHash } from "node:crypto";

/**
 * JSON as Go's `encoding/json` writes it (what the API server sends): compact, with `<`, `>`, `&`, U+2028 and
 * U+2029 escaped. These characters only ever occur inside strings in JSON text, so replacing them is safe.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** kube-openapi's and discovery's ETag: the upper-case hex SHA-512 of the served bytes (128 characters). */
export function kubeContentHash(body: string): string {
  return createHash("sha512").update(body).digest("hex").toUpperCase();
}
