/**
 * A source document that cannot be used: unreachable, not JSON, or inconsistent (a dangling `$ref`).
 * The message names the URL (or snapshot file) and, where it helps, the JSON pointer and the fix.
 */
export class SourceError extends Error {
  override readonly name = "SourceError";
  /** The URL path (or file) the problem is in. */
  readonly url: string;
  /** JSON pointer inside that document, when the problem is a single place. */
  readonly pointer?: string;

  constructor(message: string, options: { url: string; pointer?: string; cause?: unknown }) {
    const where = options.pointer === undefined ? options.url : `${options.url} at ${options.pointer}`;
    super(`${where}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.url = options.url;
    if (options.pointer !== undefined) this.pointer = options.pointer;
  }
}
