/**
 * The generator's intermediate representation: what the API offers (groups, versions, resources) and what
 * its objects look like (named schemas), free of HTTP and of TypeScript syntax.
 */
import type { Verb } from "../../runtime/core/verb.js";
import type { SchemaNode } from "../../runtime/validate/index.js";

export type { Verb };

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Where a named type lives: the module key (`core/v1`, `meta/v1`, `cert-manager.io/v1`) and its name there. */
export interface TypeRef {
  module: string;
  name: string;
}

/** A schema reduced to what the type system needs. `nullable` means the server may send `null`. */
export type SchemaType = (
  | { kind: "ref"; target: TypeRef }
  | { kind: "string"; format?: string; enum?: string[] }
  | { kind: "number"; integer: boolean; format?: string; enum?: number[] }
  | { kind: "boolean" }
  /** `x-kubernetes-int-or-string` / `format: int-or-string`. */
  | { kind: "intOrString" }
  /** A literal string: `apiVersion`/`kind` of a kind with exactly one group/version/kind. */
  | { kind: "literal"; value: string }
  | {
      kind: "array";
      items: SchemaType;
      /** `x-kubernetes-list-type` (atomic, set, map) and `x-kubernetes-list-map-keys`. */
      listType?: string;
      listMapKeys?: string[];
    }
  | ObjectSchema
  /** `oneOf`/`anyOf` of typed variants. */
  | { kind: "union"; variants: SchemaType[] }
  /** Anything: RawExtension, apiextensions JSON, schemas without a type. */
  | { kind: "unknown" }
) & { nullable?: boolean };

export interface ObjectSchema {
  kind: "object";
  properties: PropertyModel[];
  /** Value type of keys not listed in `properties` (`additionalProperties`, preserve-unknown-fields → unknown). */
  additionalProperties?: SchemaType;
  /** `x-kubernetes-preserve-unknown-fields: true`: fields beyond `properties` are kept by the server. */
  preserveUnknownFields?: boolean;
  /** `x-kubernetes-embedded-resource: true`: a whole object with apiVersion/kind/metadata. */
  embeddedResource?: boolean;
  /** `x-kubernetes-map-type` (atomic, granular). */
  mapType?: string;
}

export interface PropertyModel {
  name: string;
  description?: string;
  /** The description marks the field deprecated: this note becomes its `@deprecated` tag. */
  deprecated?: string;
  required: boolean;
  type: SchemaType;
}

/** A named type (`io.k8s.api.batch.v1.Job` → `Job` in `batch/v1`, or an inline CRD object → `CertificateSpec`). */
export interface NamedType {
  /** Unique inside its module; not yet a TypeScript identifier (the emitter makes it one). */
  name: string;
  /** Definition key or inline location, for messages and change reports. */
  source: string;
  description?: string;
  /** The description marks the type deprecated (`ComponentStatus`): its `@deprecated` note. */
  deprecated?: string;
  type: SchemaType;
  /** `x-kubernetes-group-version-kind`. */
  groupVersionKinds: GroupVersionKind[];
}

/** A module of types: one per group/version that owns at least one emitted type, plus `meta/v1`. */
export interface TypeModule {
  key: string;
  /** `""` for core and for `meta/v1` (apimachinery). */
  group: string;
  version: string;
  types: NamedType[];
}

export interface SubresourceModel {
  name: string;
  verbs: Verb[];
  kind: string;
  /** Group/version of `kind` when it differs from the parent's. */
  group?: string;
  version?: string;
  /** The body type (`Scale`, `Eviction`, the parent's type for `status`); undefined means unknown. */
  body?: SchemaType;
}

export interface ResourceModel {
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: Verb[];
  shortNames: string[];
  categories: string[];
  subresources: SubresourceModel[];
  /** The object type; undefined when no schema carries this kind (emitted as `unknown`). */
  objectType?: TypeRef;
  /** The object type is deprecated: the descriptor carries the same `@deprecated` note. */
  deprecated?: string;
  /**
   * Field paths beside `metadata.name`/`metadata.namespace` that field selectors may name: a CRD version's
   * `selectableFields`, sorted. Absent when not known (built-ins, older servers, OpenAPI folders): any path.
   */
  selectableFields?: string[];
}

export interface VersionModel {
  group: string;
  version: string;
  /** `groupVersionKey(group, version)`, the module holding this version's types and descriptors. */
  key: string;
  preferred: boolean;
  resources: ResourceModel[];
}

export interface GroupModel {
  /** `""` for core. */
  name: string;
  versions: VersionModel[];
}

export interface ApiModel {
  origin: string;
  /** Selected groups and versions, sorted (core first, then by name). */
  groups: GroupModel[];
  /** Every module with types, sorted by key; includes owners of referenced types outside the selection. */
  modules: TypeModule[];
  warnings: string[];
  /** Validation keywords per module (asked for with `BuildModelOptions.validation`): the `.validate.ts` modules' data. */
  validation?: ValidationModel;
}

/** Schema data per module key (the validation keywords the IR's shapes leave out), and the rules the validators cannot check. */
export interface ValidationModel {
  modules: Map<string, Record<string, SchemaNode>>;
  /** One line per rule left to the server: where it is, the rule, why. */
  leftToServer: string[];
}

/** Module key of apimachinery types (ObjectMeta, Time, Status, ...). */
export const META_MODULE = "meta/v1";
