/**
 * Checking objects against generated schema data (`kubetyped/runtime/validate`): the interpreter the generated
 * `<group>/<version>.validate.ts` modules re-export, and the types of `validate()`. A program that never
 * validates never loads it: descriptors import those modules lazily.
 * @packageDocumentation
 */

/** The interpreter of generated schema data and what it reads. */
export { validateWithModule } from "../validate/index.js";
export type { SchemaNode, ValidationModule, ValidationSource } from "../api/validation-schema.js";
/** `kube.resource(d).validate()` and `connect({ validate: "before-send" })`. */
export type { Validatable, ValidateCallOptions, ValidateMode } from "../validate/attach.js";
export type { FieldErrorType } from "../validate/field-error.js";
