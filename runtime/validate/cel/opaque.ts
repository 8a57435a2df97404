// Kubernetes' CEL object types (Quantity, IP, CIDR) and optional values as opaque protobuf messages, the only custom types @bufbuild/cel knows.
import { create, createFileRegistry, type DescMessage, type Registry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { objectType, type CelObjectType } from "@bufbuild/cel";

const KINDS = ["Quantity", "IP", "CIDR", "Optional", "URL", "Semver", "Format"] as const;
export type OpaqueKind = (typeof KINDS)[number];

/** One Kubernetes object type: values carry a canonical string, so CEL's field-wise `==` is the library's equality. */
export interface OpaqueType<T> {
  readonly type: CelObjectType;
  make(canonical: string, value: T): unknown;
  read(value: unknown): T;
}

const file = create(FileDescriptorProtoSchema, {
  name: "kubetyped/kubernetes-cel.proto",
  package: "kubernetes",
  syntax: "proto3",
  messageType: KINDS.map((name) => ({ name, field: [{ name: "canonical", number: 1, type: 9, label: 1, jsonName: "canonical" }] })),
});

/** The registry the CEL environment resolves the opaque types from. */
export const opaqueRegistry: Registry = createFileRegistry(file, () => undefined);

/** Parsed values live beside the message that carries them; the message only holds the canonical form. */
const parsed = new WeakMap<object, unknown>();

export function opaqueType<T>(kind: OpaqueKind): OpaqueType<T> {
  const desc = opaqueRegistry.getMessage(`kubernetes.${kind}`) as DescMessage;
  return {
    type: objectType(desc),
    make(canonical, value) {
      const message = create(desc, { canonical } as never) as object;
      parsed.set(message, value);
      return message;
    },
    read(value) {
      const message = (value as { message?: object }).message ?? (value as object);
      if (!parsed.has(message)) throw new Error(`not a ${kind}`);
      return parsed.get(message) as T;
    },
  };
}
