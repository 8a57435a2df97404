// `validate()` on every resource client, and the before-send check of its writes: small, so clients that never validate load nothing more.
import type { ResourceDescriptor } from "../api/descriptor.js";
import { invalidError, type FieldError } from "./field-error.js";

/**
 * `connect({ validate })`: `"before-send"` checks create, update, apply and patch (and the status subresource's
 * update and patch) against the schema before they leave, against `options.old` where given; `"off"` (default) never.
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

/** What `update`, `apply` and `patch` take for the before-send check besides the request's own options. */
interface CheckOptions {
  /** The patch's type (`patch` only). */
  type?: string;
  /**
   * The object as it is on the server (from a `get`, or an informer's store): an update or apply is checked with it as
   * the object before the change, a patch is applied to it locally and the result checked, transition rules included.
   * Without it transition rules are not checked, and a merge, JSON or strategic patch is sent unchecked.
   */
  old?: unknown;
}

type ErrorsOf = (args: readonly unknown[]) => Promise<FieldError[]>;

/**
 * The methods a client gets for validation, to assign over its own: `validate()`, and with `mode: "before-send"`
 * its `create`, `update`, `apply` and `patch` (and those of its `status` subresource) checked first: a failure
 * rejects with the `StatusError` (`isInvalid`) a 422 would be, and nothing is sent. Apply (and a patch of type
 * `apply`) is checked as a partial object; any other patch on the object it makes of `options.old`, where that object
 * is certain (see `./patch/`); an update with `options.old` as the object before it.
 */
export function validationMethods(client: Readonly<Record<string, unknown>>, descriptor: ResourceDescriptor, mode: ValidateMode = "off"): Record<string, unknown> {
  const methods: Record<string, unknown> = {
    validate: (object: unknown, options?: ValidateCallOptions) => checkObject(descriptor, object, options ?? {}),
  };
  if (mode !== "before-send" || descriptor.validation === undefined) return methods;
  const guard = (target: Record<string, unknown>, from: Readonly<Record<string, unknown>>, name: string, method: string, errorsOf: ErrorsOf) => {
    const send = from[name] as Write | undefined;
    if (typeof send === "function") target[name] = guarded(descriptor, send, method, errorsOf);
  };
  guard(methods, client, "create", "POST", ([body]) => checkObject(descriptor, body, {}));
  guard(methods, client, "update", "PUT", ([body, options]) => changeErrors(descriptor, body, withoutIgnoredStatus(descriptor, oldOf(options)), false));
  guard(methods, client, "apply", "PATCH", ([body, options]) => applyErrors(descriptor, body, oldOf(options)));
  guard(methods, client, "patch", "PATCH", ([, body, options]) => patchErrors(descriptor, body, (options ?? {}) as CheckOptions));
  const status = client["status"] as Readonly<Record<string, unknown>> | undefined;
  if (status !== undefined && descriptor.subresources?.["status"] !== undefined) {
    const checked: Record<string, unknown> = { ...status };
    guard(checked, status, "update", "PUT", ([body, options]) => statusErrors(descriptor, () => body, oldOf(options)));
    guard(checked, status, "patch", "PATCH", ([, body, options]) => statusPatchErrors(descriptor, body, (options ?? {}) as CheckOptions));
    methods["status"] = Object.freeze(checked);
  }
  return methods;
}

/** `send`, refused before sending when `errorsOf` its arguments finds any (the object's name: the body's, or a patch's first argument). */
function guarded(descriptor: ResourceDescriptor, send: Write, method: string, errorsOf: ErrorsOf): Write {
  return async (...args: unknown[]) => {
    const errors = await errorsOf(args);
    if (errors.length > 0) {
      const name = typeof args[0] === "string" ? args[0] : nameOf(args[0]);
      throw invalidError({ group: descriptor.group, kind: descriptor.kind, name }, errors, method);
    }
    return send(...args);
  };
}

function oldOf(options: unknown): unknown {
  return (options as CheckOptions | undefined)?.old;
}

async function patchErrors(descriptor: ResourceDescriptor, body: unknown, { type = "merge", old }: CheckOptions): Promise<FieldError[]> {
  // An apply body given as YAML text is left to the server.
  if (type === "apply") return isRecord(body) ? applyErrors(descriptor, body, old) : [];
  const result = await patchResult(descriptor, type, old, body);
  return result === undefined ? [] : changeErrors(descriptor, result, withoutIgnoredStatus(descriptor, old), false);
}

/** An apply configuration, checked as a partial object; with `old` (what it is applied to), transition rules on the scalars it sets. */
async function applyErrors(descriptor: ResourceDescriptor, body: unknown, old: unknown): Promise<FieldError[]> {
  return changeErrors(descriptor, body, withoutIgnoredStatus(descriptor, old), false, { partial: true });
}

/** What a patch of `type` makes of `old`, or `undefined` when that is not certain here (or there is no `old`). */
async function patchResult(descriptor: ResourceDescriptor, type: string, old: unknown, body: unknown): Promise<unknown> {
  if (old === undefined) return undefined;
  const { module, type: schemaType } = await loadValidation(descriptor);
  // Loaded here only: programs that never check a patch never load the patch appliers.
  const { patchedObject } = await import("./patch/index.js");
  return patchedObject(module, schemaType, type, old, body);
}

/** A status patch: checked on the status it makes of `old` (an apply patch, whose result depends on field owners, is left to the server). */
async function statusPatchErrors(descriptor: ResourceDescriptor, body: unknown, { type = "merge", old }: CheckOptions): Promise<FieldError[]> {
  if (type === "apply") return [];
  return statusErrors(descriptor, () => patchResult(descriptor, type, old, body), old);
}

/**
 * A write of the status subresource, as the server takes it: the stored object with only its status replaced by the
 * written one (spec and metadata changes are dropped), checked with `old` as the object before. Without `old` the
 * rest of the object is not known, and the write is sent unchecked.
 */
async function statusErrors(descriptor: ResourceDescriptor, written: () => unknown, old: unknown): Promise<FieldError[]> {
  if (!isRecord(old)) return [];
  const result = await written();
  if (!isRecord(result)) return [];
  const { status: _, ...kept } = old;
  return changeErrors(descriptor, "status" in result ? { ...kept, status: result["status"] } : kept, old, true);
}

/**
 * The errors of `object` written over `old` (`undefined`: a write without the object before it). Errors `old` has
 * already are left out: the server does not hold unchanged fields to rules they broke before (ratcheting), and the
 * note that rules were skipped stays only beside an error of this write.
 */
async function changeErrors(descriptor: ResourceDescriptor, object: unknown, old: unknown, withStatus: boolean, { partial = false } = {}): Promise<FieldError[]> {
  // Every write checked here may find the object on the server: without `old`, transition rules are the server's.
  const errors = await checkObject(descriptor, object, { old, withStatus, partial, oldUnknown: true });
  if (errors.length === 0 || old === undefined) return errors;
  const already = new Set((await checkObject(descriptor, old, { old, withStatus })).map(errorKey));
  const fresh = errors.filter((error) => !already.has(errorKey(error)));
  return fresh.every((error) => error.field === "<nil>" && error.message.includes("validation rules were not checked")) ? [] : fresh;
}

function errorKey(error: FieldError): string {
  return `${error.field}\u0000${error.type}\u0000${error.message}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
async function checkObject(descriptor: ResourceDescriptor, object: unknown, options: ValidateCallOptions & { partial?: boolean; oldUnknown?: boolean; withStatus?: boolean }): Promise<FieldError[]> {
  const { module, type, validator } = await loadValidation(descriptor);
  const { withStatus = false, ...rest } = options;
  // Writes of the object itself leave a status subresource's status alone; writes of the subresource check it.
  const skipStatus = !withStatus && descriptor.subresources?.["status"] !== undefined;
  return validator(module, type, object, skipStatus, rest) as FieldError[];
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
