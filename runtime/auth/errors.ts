/** Credentials could not be obtained (token file unreadable, exec plugin failed). Never carries the secret. */
export class AuthError extends Error {
  override readonly name = "AuthError";
  /** The token file or plugin command involved. */
  readonly subject?: string;
  constructor(message: string, options: { subject?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.subject !== undefined) this.subject = options.subject;
  }
}
