// Small helpers the Kubernetes libraries share: reading lists and numbers, CEL's cross-type equality, and the comparison methods of ordered object types.
import { celMethod, CelScalar, isCelList, isCelUint, type CelFunc, type CelList, type CelObjectType, type CelValue } from "@bufbuild/cel";

export const INT64_MAX = 2n ** 63n - 1n;
export const INT64_MIN = -(2n ** 63n);

/** The int64 CEL demands, or the same overflow error the server's evaluator reports. */
export function checkedInt(value: bigint): bigint {
  if (value > INT64_MAX || value < INT64_MIN) throw new Error("integer overflow");
  return value;
}

export function listValues(list: CelList): CelValue[] {
  return [...list];
}

function numeric(value: CelValue): number | bigint | undefined {
  if (typeof value === "bigint" || typeof value === "number") return value;
  if (isCelUint(value)) return value.value;
  return undefined;
}

/** Order of two comparable CEL values (numbers across int/uint/double, strings, bools); throws for anything else. */
export function compareValues(a: CelValue, b: CelValue): number {
  const [x, y] = [numeric(a), numeric(b)];
  if (x !== undefined && y !== undefined) {
    if (typeof x === "bigint" && typeof y === "bigint") return x < y ? -1 : x > y ? 1 : 0;
    const [fx, fy] = [Number(x), Number(y)];
    if (Number.isNaN(fx) || Number.isNaN(fy)) throw new Error("NaN is not comparable");
    return fx < fy ? -1 : fx > fy ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  throw new Error(`no ordering between ${typeof a} and ${typeof b}`);
}

/** CEL equality for the values list functions compare: scalars (numbers across kinds) and lists of them. */
export function valuesEqual(a: CelValue, b: CelValue): boolean {
  const [x, y] = [numeric(a), numeric(b)];
  if (x !== undefined || y !== undefined) return x !== undefined && y !== undefined && compareValues(x, y) === 0;
  if (isCelList(a) && isCelList(b)) {
    if (a.size !== b.size) return false;
    for (let i = 0; i < a.size; i++) if (!valuesEqual(a.get(i) as CelValue, b.get(i) as CelValue)) return false;
    return true;
  }
  if (typeof a === "object" || typeof b === "object") throw new Error("equality of maps or objects in list functions is left to the server");
  return a === b;
}

/** compareTo, isGreaterThan and isLessThan of a Kubernetes object type (Quantity, Semver) from its ordering. */
export function comparisonMethods<T>(type: CelObjectType, read: (value: unknown) => T, compare: (a: T, b: T) => number): CelFunc[] {
  return [
    celMethod("compareTo", type, [type], CelScalar.INT, function (other) {
      return BigInt(compare(read(this), read(other)));
    }),
    celMethod("isGreaterThan", type, [type], CelScalar.BOOL, function (other) {
      return compare(read(this), read(other)) > 0;
    }),
    celMethod("isLessThan", type, [type], CelScalar.BOOL, function (other) {
      return compare(read(this), read(other)) < 0;
    }),
  ];
}
