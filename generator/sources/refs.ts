import { SourceError } from "./errors.js";
import { pointerSegment } from "./json.js";

/**
 * Fails on the first `$ref` that does not resolve inside the document, naming where the `$ref` is and what
 * it points to: a dangling reference would otherwise surface later as a type named after nothing.
 */
export function assertRefsResolve(document: unknown, url: string): void {
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${pointer}/${index}`));
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      const here = `${pointer}/${pointerSegment(key)}`;
      if (key === "$ref" && typeof value === "string") {
        if (!resolvesLocally(document, value)) {
          throw new SourceError(`$ref ${JSON.stringify(value)} points to nothing in this document; the document is incomplete or edited by hand — record it again`, {
            url,
            pointer: here,
          });
        }
      } else {
        visit(value, here);
      }
    }
  };
  visit(document, "");
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
