import type { SchemaType, TypeRef } from "../model/ir.js";
import { propertyKey, stringLiteral } from "./escape.js";

/** Maps a reference to the identifier it has in the module being written (local, imported, or aliased). */
export type ResolveRef = (ref: TypeRef) => string;

/**
 * TypeScript type text for a schema. int-or-string → `number | string`; date-time, quantity, duration, byte
 * → `string`; all numbers → `number`; enums → literal unions; free-form objects → index signatures.
 */
export function typeText(type: SchemaType, resolve: ResolveRef): string {
  const text = bareTypeText(type, resolve);
  return type.nullable ? `${text} | null` : text;
}

function bareTypeText(type: SchemaType, resolve: ResolveRef): string {
  switch (type.kind) {
    case "ref":
      return resolve(type.target);
    case "string":
      return type.enum && type.enum.length > 0 ? type.enum.map(stringLiteral).join(" | ") : "string";
    case "number":
      return type.enum && type.enum.length > 0 ? type.enum.map(String).join(" | ") : "number";
    case "boolean":
      return "boolean";
    case "intOrString":
      return "number | string";
    case "literal":
      return stringLiteral(type.value);
    case "unknown":
      return "unknown";
    case "array": {
      const items = typeText(type.items, resolve);
      return needsParentheses(type.items) ? `(${items})[]` : `${items}[]`;
    }
    case "union":
      return type.variants.map((variant) => (variant.kind === "array" ? `(${typeText(variant, resolve)})` : typeText(variant, resolve))).join(" | ");
    case "object": {
      const members = type.properties.map(
        (property) => `${propertyKey(property.name)}${property.required ? "" : "?"}: ${typeText(property.type, resolve)}`,
      );
      const index = indexSignatureType(type, resolve);
      if (index !== undefined) members.push(`[key: string]: ${index}`);
      return members.length === 0 ? "{}" : `{ ${members.join("; ")} }`;
    }
  }
}

/**
 * The value type of an object's index signature, if it has one. With declared properties beside it the
 * index type must admit every property's type, so it widens to `unknown`.
 */
export function indexSignatureType(type: Extract<SchemaType, { kind: "object" }>, resolve: ResolveRef): string | undefined {
  if (!type.additionalProperties) return undefined;
  if (type.properties.length > 0 && type.additionalProperties.kind !== "unknown") return "unknown";
  return typeText(type.additionalProperties, resolve);
}

function needsParentheses(type: SchemaType): boolean {
  if (type.nullable) return true;
  if (type.kind === "intOrString" || type.kind === "union") return true;
  return (type.kind === "string" || type.kind === "number") && (type.enum?.length ?? 0) > 1;
}
