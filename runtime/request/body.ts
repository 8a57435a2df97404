// What a request reads from and fills into a body: the object's name and namespace, its apiVersion and kind.
import { RequestValidationError, validateName } from "./validation.js";

/** The fields of an object's metadata a request reads. */
interface BodyMetadata {
  name?: unknown;
  namespace?: string;
}

/** The type a body is filled in with when it leaves it out: the resource's own, or a subresource's (Scale). */
export interface BodyType {
  readonly apiVersion: string;
  readonly kind: string | undefined;
}

/** `body.metadata`, after checking that `body` is an object at all. */
export function metadataOf(body: unknown, verb: string): BodyMetadata {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new RequestValidationError("body", `${verb} expects a Kubernetes object`);
  }
  const metadata = (body as { metadata?: unknown }).metadata;
  return metadata && typeof metadata === "object" ? (metadata as BodyMetadata) : {};
}

/** `body.metadata.name`, required and validated (update, apply, replace address the object by it). */
export function nameFromBody(body: unknown, verb: string): string {
  const name = metadataOf(body, verb).name;
  if (name === undefined) throw new RequestValidationError("body.metadata.name", `${verb} needs the object's name in body.metadata.name`);
  return validateName(name, "body.metadata.name");
}

/** Fills `apiVersion`/`kind` from `type` when the body leaves them out (the server needs them for apply). */
export function withTypeMeta(body: unknown, type: BodyType): unknown {
  const { apiVersion, kind } = type;
  if (kind === undefined || body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const object = body as { apiVersion?: unknown; kind?: unknown };
  if (object.apiVersion !== undefined && object.kind !== undefined) return body;
  return { apiVersion, kind, ...object, ...(object.apiVersion === undefined && { apiVersion }), ...(object.kind === undefined && { kind }) };
}
