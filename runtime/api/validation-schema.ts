// The schema data generated `<group>/<version>.validate.ts` modules hold: OpenAPI v3 validation keywords, nothing else.

/**
 * One schema node: the OpenAPI v3 keywords the API server validates with, as published (descriptions and
 * examples left out). `$ref` names another node as `"<module>#<name>"` (`"core/v1#PodSpec"`).
 */
export interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly required?: readonly string[];
  readonly nullable?: boolean;
  readonly default?: unknown;
  readonly properties?: { readonly [name: string]: SchemaNode };
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly allOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly not?: SchemaNode;
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
  readonly "x-kubernetes-embedded-resource"?: boolean;
  readonly "x-kubernetes-int-or-string"?: boolean;
  readonly "x-kubernetes-list-type"?: string;
  readonly "x-kubernetes-list-map-keys"?: readonly string[];
  readonly "x-kubernetes-validations"?: readonly ValidationRule[];
  /** How a strategic merge patch merges this field of a built-in type: `merge`, `replace`, `retainKeys` (Go struct tags, as published). */
  readonly "x-kubernetes-patch-strategy"?: string;
  /** The field that identifies a list item when a strategic merge patch merges the list. */
  readonly "x-kubernetes-patch-merge-key"?: string;
  /** On a built-in kind: the server takes strategic merge patches for it, merged by the patch keywords above (custom resources refuse them). */
  readonly "x-kubetyped-strategic-merge"?: boolean;
}

/** One field error as the interpreter answers it (runtime/validate's `FieldError`). */
export interface SchemaFieldError {
  type: string;
  field: string;
  message: string;
}

/** The interpreter, as a generated module re-exports it: so only programs that load validators load it. */
export type SchemaValidator = (
  module: ValidationModule,
  type: string,
  object: unknown,
  skipStatus: boolean,
  options?: { old?: unknown; partial?: boolean },
) => SchemaFieldError[];

/** A generated `.validate.ts` module: its own named schemas, the modules its `$ref`s reach into, and the interpreter. */
export interface ValidationModule {
  readonly module: string;
  /** runtime/validate's `validateWithModule`, re-exported from `kubetyped/runtime/validate` by the generated module. */
  readonly validator?: SchemaValidator;
  readonly schemas: { readonly [name: string]: SchemaNode };
  /** Module key → that module, a `ValidationModule` too (namespace imports, so circular references between modules resolve lazily). */
  readonly imports: { readonly [module: string]: unknown };
}

/** What a descriptor carries to find its schema: the module loader (a dynamic import, so unused validators never load) and the type's name. */
export interface ValidationSource {
  readonly load: () => Promise<ValidationModule>;
  readonly type: string;
}

/** One `x-kubernetes-validations` entry as published. */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
  readonly fieldPath?: string;
  readonly optionalOldSelf?: boolean;
}
