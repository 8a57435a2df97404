/** The output could not be produced or written; the message names the file or folder and the fix. */
export class WriteError extends Error {
  override readonly name = "WriteError";
  readonly path: string;

  constructor(message: string, options: { path: string; cause?: unknown }) {
    super(`${options.path}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.path = options.path;
  }
}
