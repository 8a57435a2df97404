// kube-openapi's validation messages (`spec.replicas in body should be greater than or equal to 0`), numbers printed as Go prints a float64.

/** A bound as the server prints it: whole numbers in full (`1000000`), fractions as Go's `%v` of a float64 (`1.5`, `1.5e-05`). */
export function goFloat(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : value < 0 ? "-Inf" : "NaN";
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  const [mantissa, exp] = value.toExponential().split("e") as [string, string];
  const decimal = Number(exp);
  if (decimal < -4 || decimal >= 6) return `${mantissa}e${decimal < 0 ? "-" : "+"}${String(Math.abs(decimal)).padStart(2, "0")}`;
  return String(value);
}

/** The name kube-openapi gives a field in its messages: its path, or nothing at the root. */
function subject(path: string): string {
  return `${path} in body`;
}

export const messages = {
  type: (path: string, type: string, actual: string) => `${subject(path)} must be of type ${type}: ${JSON.stringify(actual)}`,
  format: (path: string, format: string, value: string) => `${subject(path)} must be of type ${format}: ${JSON.stringify(value)}`,
  minimum: (path: string, limit: number, exclusive: boolean) => `${subject(path)} should be greater than ${exclusive ? "" : "or equal to "}${goFloat(limit)}`,
  maximum: (path: string, limit: number, exclusive: boolean) => `${subject(path)} should be less than ${exclusive ? "" : "or equal to "}${goFloat(limit)}`,
  multipleOfNotPositive: (path: string, factor: number) => `factor MultipleOf declared for ${path} must be positive: ${goFloat(factor)}`,
  /** kube-openapi's range check of a number against its type and format (a fraction or an overflow). */
  outOfRange: (path: string, type: string, format: string | undefined) =>
    `Checked value must be of type ${type} ${format === undefined ? "(default format)" : `with format ${format}`} in ${path}`,
  anyOf: (path: string) => `${JSON.stringify(path)} must validate at least one schema (anyOf)`,
  oneOf: (path: string, valid: number) => `${JSON.stringify(path)} must validate one and only one schema (oneOf). ${valid === 0 ? "Found none valid" : `Found ${valid} valid alternatives`}`,
  not: (path: string) => `${JSON.stringify(path)} must not validate the schema (not)`,
  multipleOf: (path: string, factor: number) => `${subject(path)} should be a multiple of ${goFloat(factor)}`,
  minLength: (path: string, limit: number) => `${subject(path)} should be at least ${limit} chars long`,
  pattern: (path: string, pattern: string) => `${subject(path)} should match '${pattern}'`,
  minItems: (path: string, limit: number) => `${subject(path)} should have at least ${limit} items`,
  minProperties: (path: string, limit: number) => `${subject(path)} should have at least ${limit} properties`,
};
