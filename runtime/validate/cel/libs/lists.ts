// Kubernetes' CEL list library: isSorted, sum, min, max, indexOf, lastIndexOf.
import { celMethod, CelScalar, listType, type CelFunc, type CelList, type CelValue } from "@bufbuild/cel";
import { checkedInt, compareValues, listValues, valuesEqual } from "../values.js";

const LIST = listType(CelScalar.DYN);
const { DYN, BOOL, INT } = CelScalar;

function sum(list: CelList): CelValue {
  const values = listValues(list);
  if (values.length === 0) return 0n;
  if (values.every((v) => typeof v === "bigint")) return checkedInt((values as bigint[]).reduce((a, b) => a + b, 0n));
  if (values.every((v) => typeof v === "number")) return (values as number[]).reduce((a, b) => a + b, 0);
  throw new Error("sum() of this element type is left to the server");
}

function extreme(list: CelList, sign: 1 | -1): CelValue {
  const values = listValues(list);
  if (values.length === 0) throw new Error(`${sign > 0 ? "max" : "min"} called on empty list`);
  return values.reduce((best, v) => (compareValues(v, best) * sign > 0 ? v : best));
}

function isSorted(list: CelList): boolean {
  const values = listValues(list);
  return values.every((v, i) => i === 0 || compareValues(values[i - 1] as CelValue, v) <= 0);
}

function indexOf(list: CelList, item: CelValue, fromEnd: boolean): bigint {
  const values = listValues(list);
  const order = fromEnd ? values.map((_, i) => values.length - 1 - i) : values.map((_, i) => i);
  for (const i of order) if (valuesEqual(values[i] as CelValue, item)) return BigInt(i);
  return -1n;
}

export const listFunctions: CelFunc[] = [
  celMethod("isSorted", LIST, [], BOOL, function () {
    return isSorted(this);
  }),
  celMethod("sum", LIST, [], DYN, function () {
    return sum(this);
  }),
  celMethod("min", LIST, [], DYN, function () {
    return extreme(this, -1);
  }),
  celMethod("max", LIST, [], DYN, function () {
    return extreme(this, 1);
  }),
  celMethod("indexOf", LIST, [DYN], INT, function (item) {
    return indexOf(this, item, false);
  }),
  celMethod("lastIndexOf", LIST, [DYN], INT, function (item) {
    return indexOf(this, item, true);
  }),
];
