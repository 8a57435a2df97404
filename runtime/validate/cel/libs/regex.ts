// Kubernetes' CEL regex library (find, findAll) in RE2's dialect: RE2 accepts the pattern, and only constructs that mean the same in JavaScript are run.
import { celMethod, CelScalar, listType, type CelFunc } from "@bufbuild/cel";
import { RE2JS } from "@bufbuild/re2";

const { STRING, INT } = CelScalar;

/** RE2 constructs JavaScript reads differently (Unicode \s, flag groups, POSIX classes, \A \z \Q \C, \pX): left to the server. */
const DIVERGENT = /\\[sSpPAzQCx]|\(\?(?!:)|\[\[:|\\[0-9]/;

const cache = new Map<string, RegExp>();

/** The JavaScript regexp that finds what RE2 finds for this pattern, or an error the server would not give. */
export function re2Compatible(pattern: string): RegExp {
  const known = cache.get(pattern);
  if (known) return known;
  RE2JS.compile(pattern); // throws where Go's regexp would refuse the pattern
  if (DIVERGENT.test(pattern)) throw new Error(`the regexp ${JSON.stringify(pattern)} uses a construct checked only by the server`);
  const regexp = new RegExp(pattern, "gu");
  cache.set(pattern, regexp);
  return regexp;
}

/** Line ends JavaScript's `.` skips and RE2's matches. */
const DOT_DIVERGES = /[\r\u2028\u2029]/;

function findAll(text: string, pattern: string, limit: bigint): string[] {
  if (pattern.includes(".") && DOT_DIVERGES.test(text)) throw new Error("`.` over \\r, U+2028 or U+2029 is left to the server");
  const found: string[] = [];
  if (limit === 0n) return found;
  for (const match of text.matchAll(re2Compatible(pattern))) {
    found.push(match[0]);
    if (limit > 0n && BigInt(found.length) >= limit) break;
  }
  return found;
}

export const regexFunctions: CelFunc[] = [
  celMethod("find", STRING, [STRING], STRING, function (pattern) {
    return findAll(this, pattern, 1n)[0] ?? "";
  }),
  celMethod("findAll", STRING, [STRING], listType(STRING), function (pattern) {
    return findAll(this, pattern, -1n);
  }),
  celMethod("findAll", STRING, [STRING, INT], listType(STRING), function (pattern, limit) {
    return findAll(this, pattern, limit);
  }),
];
