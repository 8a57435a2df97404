// `validate()` on every resource client, and the before-send check of its writes: small, so clients that never validate load nothing more.
import type { ResourceDescriptor } from "../api/descriptor.js";
import { invalidError, type FieldError } from "./field-error.js";

/**
 * `connect({ validate })`: `"before-send"` checks create, update, apply and patch against the schema before they
 * leave (a patch on the object it would make of `options.old`); `"off"` (default) never.
 */
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

/** What `patch` takes besides its type for the before-send check. */
interface PatchCheckOptions {
  type?: string;
  /**
   * The object as it is on the server (from a `get`, or an informer's store): the patch is applied to it locally and
   * the result checked, transition rules included. Without it a merge, JSON or strategic patch is sent unchecked.
   */
  old?: unknown;
}

/**
 * The methods a client gets for validation, to assign over its own: `validate()`, and with `mode: "before-send"`
 * its `create`, `update`, `apply` and `patch` checked first: a failure rejects with the `StatusError` (`isInvalid`) a
 * 422 would be, and nothing is sent. Apply (and a patch of type `apply`) is checked as a partial object; any other patch on
 * the object it makes of `options.old`, where that object is certain (see `./patch/`).
 */
export function validationMethods(client: Readonly<Record<string, unknown>>, descriptor: ResourceDescriptor, mode: ValidateMode = "off"): Record<string, unknown> {
  const methods: Record<string, unknown> = {
    validate: (object: unknown, options?: ValidateCallOptions) => checkObject(descriptor, object, options ?? {}),
  };
  if (mode === "before-send" && descriptor.validation !== undefined) {
    const checked = (name: string, method: string, partial: boolean) => {
      const send = client[name] as Write | undefined;
      if (typeof send !== "function") return;
      methods[name] = async (body: unknown, ...rest: unknown[]) => {
        const errors = await checkObject(descriptor, body, { partial });
        if (errors.length > 0) throw invalidError({ group: descriptor.group, kind: descriptor.kind, name: nameOf(body) }, errors, method);
        return send(body, ...rest);
      };
    };
    checked("create", "POST", false);
    checked("update", "PUT", false);
    checked("apply", "PATCH", true);
    const patch = client["patch"] as Write | undefined;
    if (typeof patch === "function") methods["patch"] = checkedPatch(descriptor, patch);
  }
  return methods;
}

/** `patch(name, body, options)`, refused before sending when the object it would make breaks the schema. */
function checkedPatch(descriptor: ResourceDescriptor, send: Write): Write {
  return async (name: unknown, body: unknown, options?: unknown, ...rest: unknown[]) => {
    const errors = await patchErrors(descriptor, body, (options ?? {}) as PatchCheckOptions);
    if (errors.length > 0) throw invalidError({ group: descriptor.group, kind: descriptor.kind, name: String(name) }, errors, "PATCH");
    return send(name, body, options, ...rest);
  };
}

async function patchErrors(descriptor: ResourceDescriptor, body: unknown, { type = "merge", old }: PatchCheckOptions): Promise<FieldError[]> {
  // An apply body given as YAML text is left to the server.
  if (type === "apply") return typeof body === "object" && body !== null && !Array.isArray(body) ? checkObject(descriptor, body, { partial: true }) : [];
  if (old === undefined) return [];
  const { module, type: schemaType } = await loadValidation(descriptor);
  // Loaded here only: programs that never check a patch never load the patch appliers.
  const { patchedObject } = await import("./patch/index.js");
  const result = patchedObject(module, schemaType, type, old, body);
  return result === undefined ? [] : checkObject(descriptor, result, { old: withoutIgnoredStatus(descriptor, old) });
}

/** With a status subresource the server keeps the stored status on writes of the object; the result is checked without it, so is `old`. */
function withoutIgnoredStatus(descriptor: ResourceDescriptor, old: unknown): unknown {
  if (descriptor.subresources?.["status"] === undefined || typeof old !== "object" || old === null) return old;
  const { status: _, ...rest } = old as Record<string, unknown>;
  return rest;
}

/**
 * The field errors the server would give for `object`: the descriptor's generated module is loaded on first use,
 * and brings the interpreter with it (so a program without validators never bundles it).
 */
async function checkObject(descriptor: ResourceDescriptor, object: unknown, options: ValidateCallOptions & { partial?: boolean }): Promise<FieldError[]> {
  const { module, type, validator } = await loadValidation(descriptor);
  return validator(module, type, object, descriptor.subresources?.["status"] !== undefined, options) as FieldError[];
}

/** The descriptor's generated schema module (loaded on first use), the type it checks, and the interpreter it brings. */
async function loadValidation(descriptor: ResourceDescriptor) {
  const source = descriptor.validation;
  if (source === undefined) {
    throw new NoValidationSchemaError(
      `${descriptor.plural}.${descriptor.group || "core"}/${descriptor.version} has no validation schema; regenerate without \`--no-validators\` (\`kubetyped generate\` points each descriptor at <group>/<version>.validate.ts)`,
    );
  }
  const module = await source.load();
  if (module.validator === undefined) throw new NoValidationSchemaError(`the validators of ${module.module} were generated by another kubetyped version; regenerate them`);
  return { module, type: source.type, validator: module.validator };
}

function nameOf(object: unknown): string {
  const metadata = (object as { metadata?: { name?: unknown } } | null)?.metadata;
  return typeof metadata?.name === "string" ? metadata.name : "";
}

/** A descriptor made without `validation` (generated with `--no-validators`, or hand-written): nothing to check against. */
export class NoValidationSchemaError extends Error {
  override readonly name = "NoValidationSchemaError";
}
