// CEL optional values (optional.of/none, hasValue, value, orValue, or), for `optionalOldSelf` rules and the format library; the `.?` syntax is left to the server.
import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from "@bufbuild/cel";
import { opaqueType } from "../opaque.js";

const { DYN, BOOL } = CelScalar;
const Optional = opaqueType<{ value?: CelValue }>("Optional");
/** The CEL type of optional values, for libraries whose functions answer one. */
export const OPTIONAL = Optional.type;

/** oldSelf of an `optionalOldSelf` rule: a value on update, none on create. */
export function optionalOf(value: unknown): unknown {
  return value === undefined ? Optional.make("none", {}) : Optional.make("some", { value: value as CelValue });
}

function present(holder: unknown): CelValue {
  const { value } = Optional.read(holder);
  if (value === undefined) throw new Error("optional.none() dereference");
  return value;
}

export const optionalFunctions: CelFunc[] = [
  celFunc("optional.of", [DYN], OPTIONAL, (value) => optionalOf(value) as never),
  celFunc("optional.none", [], OPTIONAL, () => optionalOf(undefined) as never),
  celMethod("hasValue", OPTIONAL, [], BOOL, function () {
    return Optional.read(this).value !== undefined;
  }),
  celMethod("value", OPTIONAL, [], DYN, function () {
    return present(this);
  }),
  celMethod("orValue", OPTIONAL, [DYN], DYN, function (fallback) {
    return Optional.read(this).value ?? fallback;
  }),
  celMethod("or", OPTIONAL, [OPTIONAL], OPTIONAL, function (other) {
    return (Optional.read(this).value === undefined ? other : this) as never;
  }),
];
