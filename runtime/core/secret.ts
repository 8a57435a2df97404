// A credential that never shows itself; in the kernel because a cluster connection (runtime/core/connection.ts) holds them.
import { inspect } from "node:util";

/**
 * A credential (token, password, private key) that never shows itself: `util.inspect`, `JSON.stringify`,
 * string conversion and error messages see `[redacted]`. Call `reveal()` only where the value is sent.
 */
export class Secret<T extends string | Buffer = string> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  reveal(): T {
    return this.#value;
  }
  toJSON(): string {
    return "[redacted]";
  }
  toString(): string {
    return "[redacted]";
  }
  [inspect.custom](): string {
    return "Secret([redacted])";
  }
}
