import { SourceError } from "./errors.js";
import { pointerSegment } from "./json.js";

/**
 * Fails on the first `$ref` that does not resolve inside the document, naming where the `$ref` is and what
 * it points to: a dangling reference would otherwise surface later as a type named after nothing.
 */
export function assertRefsResolve(document: unknown, url: string): void {
  // The path is kept as keys and spelled as a pointer only for the message: building one string per node
  // cost seconds for the documents of 2,000 CRDs.
  const path: string[] = [];
  const resolved = new Set<string>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    const isArray = Array.isArray(node);
    for (const key of Object.keys(node)) {
      const value = (node as Record<string, unknown>)[key];
      if (!isArray && key === "$ref" && typeof value === "string") {
        if (resolved.has(value)) continue;
        if (!resolvesLocally(document, value)) {
          throw new SourceError(`$ref ${JSON.stringify(value)} points to nothing in this document; the document is incomplete or edited by hand — record it again`, {
            url,
            pointer: [...path, key].map((segment) => `/${pointerSegment(segment)}`).join(""),
          });
        }
        resolved.add(value);
      } else if (value !== null && typeof value === "object") {
        path.push(key);
        visit(value);
        path.pop();
      }
    }
  };
  visit(document);
}

function resolvesLocally(document: unknown, ref: string): boolean {
  if (!ref.startsWith("#/")) return false;
  let node: unknown = document;
  for (const raw of ref.slice(2).split("/")) {
    const segment = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return false;
    node = (node as Record<string, unknown>)[segment];
  }
  return true;
}
