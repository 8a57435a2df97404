/**
 * The API documents cannot be modelled: a dangling `$ref`, a schema of the wrong shape, an unknown group.
 * The message names the document and the JSON pointer, and says what to fix.
 */
export class ModelError extends Error {
  override readonly name = "ModelError";
  /** `openapi/v3 batch/v1`, `openapi/v2`, `--groups`. */
  readonly document: string;
  /** JSON pointer inside `document` (`#/components/schemas/io.k8s.api.batch.v1.Job/properties/spec`), if any. */
  readonly pointer: string | undefined;

  constructor(message: string, location: { document: string; pointer?: string }) {
    super(message);
    this.document = location.document;
    this.pointer = location.pointer;
  }
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}
