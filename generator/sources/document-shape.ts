// Whether parsed JSON is an OpenAPI document at all, checked before anything reads it as one.
import { SourceError } from "./errors.js";

/** `array`, `null`, `string`...: what a value is, for a message. */
function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Fails unless `document` is an object carrying what an OpenAPI document of `version` is made of (`openapi`,
 * `paths` or `components` for v3; `swagger`, `paths` or `definitions` for v2), each of the right type.
 * `[1,2,3]` or `{}` would otherwise model as a group/version serving nothing, and a generation would
 * silently drop it.
 */
export function assertOpenApiShape(document: unknown, url: string, version: "v2" | "v3"): void {
  const expected = version === "v3" ? "an OpenAPI v3 document (`openapi`, `paths`, `components.schemas`)" : "an OpenAPI v2 document (`swagger`, `paths`, `definitions`)";
  const fix = "check that the server (or file) answers this path with its OpenAPI document";
  if (!isObject(document)) throw new SourceError(`is ${kindOf(document)}, not ${expected}; ${fix}`, { url });
  const fields = version === "v3" ? { openapi: "string", paths: "object", components: "object" } : { swagger: "string", paths: "object", definitions: "object" };
  const present = Object.keys(fields).filter((field) => document[field] !== undefined);
  if (present.length === 0) throw new SourceError(`has none of ${Object.keys(fields).map((field) => `\`${field}\``).join(", ")}: not ${expected}; ${fix}`, { url });
  for (const field of present) {
    const wanted = fields[field as keyof typeof fields];
    const value = document[field];
    if (wanted === "string" ? typeof value !== "string" : !isObject(value)) {
      throw new SourceError(`\`${field}\` is ${kindOf(value)}, expected ${wanted === "string" ? "a string" : "an object"}; not ${expected}`, { url, pointer: `/${field}` });
    }
  }
  const schemas = version === "v3" ? (document.components as Record<string, unknown> | undefined)?.schemas : undefined;
  if (schemas !== undefined && !isObject(schemas)) {
    throw new SourceError(`\`components.schemas\` is ${kindOf(schemas)}, expected an object of schemas`, { url, pointer: "/components/schemas" });
  }
}
