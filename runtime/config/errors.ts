/**
 * A kubeconfig or in-cluster configuration that cannot be used. The message names the input and the fix;
 * it never contains a token, password or key.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The file the problem is in, when there is one. */
  readonly file?: string;
  /** The field, e.g. `users[name=alice].user.client-key`. */
  readonly field?: string;

  constructor(message: string, options: { file?: string; field?: string; cause?: unknown } = {}) {
    const where = [options.file, options.field].filter(Boolean).join(": ");
    super(where ? `${where}: ${message}` : message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.file !== undefined) this.file = options.file;
    if (options.field !== undefined) this.field = options.field;
  }
}
