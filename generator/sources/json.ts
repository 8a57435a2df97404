import { SourceError } from "./errors.js";
import type { FetchedDocument } from "./fetcher.js";

/** Parses a fetched document as JSON; anything else is an error naming the URL and what came instead. */
export function parseJsonDocument<T = unknown>(document: FetchedDocument, url: string): T {
  try {
    return JSON.parse(document.body) as T;
  } catch (error) {
    const start = document.body.trimStart().slice(0, 40).replace(/\s+/g, " ");
    const type = document.contentType ? ` (Content-Type ${document.contentType})` : "";
    throw new SourceError(
      `expected a JSON document but got something else${type} starting with ${JSON.stringify(start)}; ` +
        `check that the server (or snapshot file) answers this path with JSON`,
      { url, cause: error },
    );
  }
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}
