// Kubernetes' CEL quantity library: quantity(), isQuantity() and the Quantity methods, on exact fractions (no float rounding).
import { celFunc, celMethod, CelScalar, type CelFunc } from "@bufbuild/cel";
import { opaqueType } from "../opaque.js";
import { checkedInt, comparisonMethods, INT64_MAX, INT64_MIN } from "../values.js";

const { STRING, BOOL, INT, DOUBLE } = CelScalar;

/** An exact value num/den with den > 0 and the fraction reduced. */
export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

const GRAMMAR = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, bigint> = { Ki: 1n, Mi: 2n, Gi: 3n, Ti: 4n, Pi: 5n, Ei: 6n };

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function fraction(num: bigint, den: bigint): Fraction {
  const divisor = gcd(num, den) || 1n;
  return { num: num / divisor, den: den / divisor };
}

function scale(suffix: string): Fraction {
  if (suffix in BINARY) return { num: 1024n ** (BINARY[suffix] as bigint), den: 1n };
  const exponent = suffix in DECIMAL ? (DECIMAL[suffix] as number) : suffix === "" ? 0 : Number(suffix.slice(1));
  if (Math.abs(exponent) > 30) throw new Error("quantity exponent beyond what kubetyped checks; left to the server");
  return exponent >= 0 ? { num: 10n ** BigInt(exponent), den: 1n } : { num: 1n, den: 10n ** BigInt(-exponent) };
}

/** A Quantity as resource.ParseQuantity reads it; values it would round (finer than 1n, over int64 scale) are left to the server. */
export function parseQuantity(text: string): Fraction {
  const match = GRAMMAR.exec(text);
  const [, sign = "", whole = "", fractionDigits = "", suffix = ""] = match ?? [];
  if (!match || whole + fractionDigits === "") throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  if (whole.length + fractionDigits.length > 30) throw new Error("quantity too long for kubetyped to check; left to the server");
  const factor = scale(suffix);
  const value = fraction(BigInt((sign === "-" ? "-" : "") + (whole + fractionDigits || "0")) * factor.num, 10n ** BigInt(fractionDigits.length) * factor.den);
  if (1_000_000_000n % value.den !== 0n) throw new Error("quantity finer than 1n: the server rounds it; left to the server");
  if (value.num / value.den > INT64_MAX || value.num / value.den < INT64_MIN) throw new Error("quantity beyond int64: left to the server");
  return value;
}

function compare(a: Fraction, b: Fraction): number {
  const difference = a.num * b.den - b.num * a.den;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

function plus(a: Fraction, b: Fraction, sign: 1n | -1n): Fraction {
  return fraction(a.num * b.den + sign * b.num * a.den, a.den * b.den);
}

const Quantity = opaqueType<Fraction>("Quantity");
const QUANTITY = Quantity.type;
const quantity = (value: Fraction) => Quantity.make(`${value.num}/${value.den}`, value) as never;
const read = (value: unknown) => Quantity.read(value);
const whole = (n: bigint): Fraction => ({ num: n, den: 1n });

function isQuantity(text: string): boolean {
  try {
    parseQuantity(text);
    return true;
  } catch (error) {
    if (String(error).includes("left to the server")) throw error;
    return false;
  }
}

function asInteger(value: Fraction): bigint {
  if (value.den !== 1n) throw new Error("cannot convert value to integer");
  return checkedInt(value.num);
}

export const quantityFunctions: CelFunc[] = [
  celFunc("quantity", [STRING], QUANTITY, (text) => quantity(parseQuantity(text))),
  celFunc("isQuantity", [STRING], BOOL, isQuantity),
  celMethod("isInteger", QUANTITY, [], BOOL, function () {
    const value = read(this);
    return value.den === 1n && value.num <= INT64_MAX && value.num >= INT64_MIN;
  }),
  celMethod("asInteger", QUANTITY, [], INT, function () {
    return asInteger(read(this));
  }),
  celMethod("asApproximateFloat", QUANTITY, [], DOUBLE, function () {
    const value = read(this);
    return Number(value.num) / Number(value.den);
  }),
  ...comparisonMethods(QUANTITY, read, compare),
  celMethod("add", QUANTITY, [QUANTITY], QUANTITY, function (other) {
    return quantity(plus(read(this), read(other), 1n));
  }),
  celMethod("add", QUANTITY, [INT], QUANTITY, function (other) {
    return quantity(plus(read(this), whole(other), 1n));
  }),
  celMethod("sub", QUANTITY, [QUANTITY], QUANTITY, function (other) {
    return quantity(plus(read(this), read(other), -1n));
  }),
  celMethod("sub", QUANTITY, [INT], QUANTITY, function (other) {
    return quantity(plus(read(this), whole(other), -1n));
  }),
];
