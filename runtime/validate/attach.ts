// `validate()` on every resource client, and the before-send check of its writes: small, so clients that never validate load nothing more.
import type { ResourceDescriptor } from "../api/descriptor.js";
import type { FieldError } from "./field-error.js";

/** `connect({ validate })`: `"before-send"` checks create, update and apply against the schema before they leave; `"off"` (default) never. */
export type ValidateMode = "off" | "before-send";

/** What `validate()` takes besides the object. */
export interface ValidateCallOptions {
  /** The object as it is on the server: transition rules (`oldSelf`) are checked only with it. */
  old?: unknown;
}

/** The method every resource client has: the field errors the server would answer for `object` (none: it would pass its schema). */
export interface Validatable<T> {
  validate(object: T | Record<string, unknown>, options?: ValidateCallOptions): Promise<FieldError[]>;
}

type Write = (...args: unknown[]) => Promise<unknown>;

/**
 * `client` with `validate()`, and with `mode: "before-send"` its `create`, `update` and `apply` checked first:
 * a failure rejects with the `InvalidError` a 422 would be, and nothing is sent. A patch is sent unchecked (the
 * client does not have the object it would produce); apply is checked as a partial object.
 */
export function withValidation<C extends object>(client: C, descriptor: ResourceDescriptor, mode: ValidateMode = "off"): C & Validatable<unknown> {
  const load = () => import("./index.js");
  const methods: Record<string, unknown> = {
    validate: async (object: unknown, options?: ValidateCallOptions) => (await load()).validateObject(descriptor, object, options),
  };
  if (mode === "before-send" && descriptor.validation !== undefined) {
    const original = client as Record<string, unknown>;
    const checked = (name: string, method: string, partial: boolean) => {
      const send = original[name] as Write | undefined;
      if (typeof send !== "function") return;
      methods[name] = async (body: unknown, ...rest: unknown[]) => {
        await (await load()).assertValid(descriptor, body, { method, ...(partial && { partial }) });
        return send(body, ...rest);
      };
    };
    checked("create", "POST", false);
    checked("update", "PUT", false);
    checked("apply", "PATCH", true);
  }
  return Object.freeze({ ...client, ...methods }) as C & Validatable<unknown>;
}
