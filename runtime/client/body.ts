// What the client reads from and fills into request bodies: the object's name and namespace, its apiVersion and kind.
import type { KubeObject, ObjectMetaLike } from "../api/objects.js";
import { RequestValidationError, validateName } from "../request/validation.js";

/** `body.metadata`, after checking that `body` is an object at all. */
export function metadataOf(body: unknown, verb: string): ObjectMetaLike {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new RequestValidationError("body", `${verb} expects a Kubernetes object`);
  }
  const metadata = (body as KubeObject).metadata;
  return metadata && typeof metadata === "object" ? metadata : {};
}

/** `body.metadata.name`, required and validated (update, apply, replace address the object by it). */
export function nameFromBody(body: unknown, verb: string): string {
  const name = metadataOf(body, verb).name;
  if (name === undefined) throw new RequestValidationError("body.metadata.name", `${verb} needs the object's name in body.metadata.name`);
  return validateName(name, "body.metadata.name");
}

/** Fills `apiVersion`/`kind` from the descriptor when the body leaves them out (the server needs them for apply). */
export function withTypeMeta(body: unknown, apiVersion: string, kind: string | undefined): unknown {
  if (kind === undefined || body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const object = body as KubeObject;
  if (object.apiVersion !== undefined && object.kind !== undefined) return body;
  return { apiVersion, kind, ...object, ...(object.apiVersion === undefined && { apiVersion }), ...(object.kind === undefined && { kind }) };
}
