import { RequestValidationError } from "./validation.js";

/** Patch strategies the API server accepts, named as kubectl names them (`--type`), plus server-side apply. */
export type PatchType = "json" | "merge" | "strategic" | "apply";

/** Content type that selects each patch strategy on the server. */
export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = Object.freeze({
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
});

/** Content type for a patch type, rejecting unknown names with the list of valid ones. */
export function patchContentType(type: PatchType): string {
  const contentType = (PATCH_CONTENT_TYPES as Record<string, string>)[type];
  if (contentType === undefined || !Object.hasOwn(PATCH_CONTENT_TYPES, type)) {
    throw new RequestValidationError("patch type", `${JSON.stringify(type)} is unknown; use one of ${Object.keys(PATCH_CONTENT_TYPES).join(", ")}`);
  }
  return contentType;
}

/**
 * Serializes a patch body after checking its shape: JSON patch is an array of operations, the others are
 * objects. A string is sent as is (apply accepts YAML; JSON is valid YAML).
 */
export function serializePatch(type: PatchType, patch: unknown): string {
  patchContentType(type);
  if (typeof patch === "string") return patch;
  if (type === "json") {
    if (!Array.isArray(patch)) throw new RequestValidationError("patch", 'a "json" patch is an array of operations such as { op: "replace", path: "/spec/x", value: 1 }');
  } else if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
    throw new RequestValidationError("patch", `a "${type}" patch is an object (use type "json" for an operation list)`);
  }
  return JSON.stringify(patch);
}
