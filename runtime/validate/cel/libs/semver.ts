// Kubernetes' CEL semver library (served from 1.33, with the normalize argument): semver(), isSemver() and the Semver methods, as blang/semver v4 parses and orders versions.
import { celFunc, celMethod, CelScalar, type CelFunc } from "@bufbuild/cel";
import { opaqueType } from "../opaque.js";
import { comparisonMethods, INT64_MAX } from "../values.js";

const { STRING, BOOL, INT } = CelScalar;

/** A version as blang/semver holds it; build metadata is parsed but never compared. */
export interface Semver {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: ReadonlyArray<bigint | string>;
}

/** blang/semver refused the string: a certain answer (isSemver is false). */
class SemverError extends Error {}

const UINT64_MAX = 2n ** 64n - 1n;
const onlyDigits = (s: string) => /^[0-9]*$/.test(s);
const ALPHANUM = /^[-A-Za-z0-9]*$/;

/** strconv.ParseUint for a part blang/semver has checked to be digits without leading zeroes. */
function number(part: string, what: string): bigint {
  if (!onlyDigits(part)) throw new SemverError(`Invalid character(s) found in ${what} number ${JSON.stringify(part)}`);
  if (part.length > 1 && part[0] === "0") throw new SemverError(`${what} number must not contain leading zeroes`);
  if (part === "") throw new SemverError(`${what} number is empty`);
  const value = BigInt(part);
  if (value > UINT64_MAX) throw new SemverError(`${what} number out of range`);
  return value;
}

function prerelease(part: string): bigint | string {
  if (part === "") throw new SemverError("Prerelease is empty");
  if (onlyDigits(part)) return number(part, "prerelease");
  if (!ALPHANUM.test(part)) throw new SemverError(`Invalid character(s) found in prerelease ${JSON.stringify(part)}`);
  return part;
}

/** blang/semver v4's Parse. */
export function parseSemver(text: string): Semver {
  if (text === "") throw new SemverError("Version string empty");
  const [major = "", minor = "", rest] = splitN(text, ".", 3);
  if (rest === undefined) throw new SemverError("No Major.Minor.Patch elements found");
  const plus = rest.indexOf("+");
  const core = plus < 0 ? rest : rest.slice(0, plus);
  if (plus >= 0 && !rest.slice(plus + 1).split(".").every((b) => b !== "" && ALPHANUM.test(b))) throw new SemverError("Invalid build meta data");
  const dash = core.indexOf("-");
  const pre = dash < 0 ? [] : core.slice(dash + 1).split(".").map(prerelease);
  return { major: number(major, "Major"), minor: number(minor, "Minor"), patch: number(dash < 0 ? core : core.slice(0, dash), "Patch"), pre };
}

/** Go's strings.SplitN. */
function splitN(text: string, separator: string, n: number): string[] {
  const parts = text.split(separator);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(separator)];
}

/** The library's normalizeAndParse: no "v" prefix, missing minor/patch filled with 0, leading zeroes dropped. */
export function normalizeSemver(text: string): Semver {
  const parts = splitN(text.startsWith("v") ? text.slice(1) : text, ".", 3).map((p) => {
    if (p.length <= 1) return p;
    const trimmed = p.replace(/^0+/, "");
    return trimmed === "" || !/^[0-9]/.test(trimmed) ? `0${trimmed}` : trimmed;
  });
  if (parts.length < 3) {
    if (/[+-]/.test(parts[parts.length - 1] as string)) throw new SemverError("short version cannot contain PreRelease/Build meta data");
    while (parts.length < 3) parts.push("0");
  }
  return parseSemver(parts.join("."));
}

const sign = <T extends bigint | string | number>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

function comparePre(a: bigint | string, b: bigint | string): number {
  if (typeof a === typeof b) return sign(a, b);
  return typeof a === "bigint" ? -1 : 1;
}

/** Version.Compare: major, minor, patch, then a release above its prereleases, then the prerelease parts in order. */
export function compareSemver(a: Semver, b: Semver): number {
  const core = sign(a.major, b.major) || sign(a.minor, b.minor) || sign(a.patch, b.patch);
  if (core !== 0) return core;
  if (a.pre.length === 0 || b.pre.length === 0) return sign(b.pre.length, a.pre.length);
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const order = comparePre(a.pre[i] as bigint | string, b.pre[i] as bigint | string);
    if (order !== 0) return order;
  }
  return sign(a.pre.length, b.pre.length);
}

const SemverType = opaqueType<Semver>("Semver");
const SEMVER = SemverType.type;
const read = (value: unknown) => SemverType.read(value);
/** `==` is Compare's equality: the canonical text leaves build metadata out. */
const make = (v: Semver) => SemverType.make(`${v.major}.${v.minor}.${v.patch}${v.pre.length ? `-${v.pre.join(".")}` : ""}`, v) as never;

function isSemver(text: string, normalize: boolean): boolean {
  try {
    (normalize ? normalizeSemver : parseSemver)(text);
    return true;
  } catch (error) {
    if (error instanceof SemverError) return false;
    throw error;
  }
}

/** A version number as CEL's int; Go wraps numbers above int64 into negatives, which is left to the server. */
function int(value: bigint): bigint {
  if (value > INT64_MAX) throw new Error("a version number above int64 is left to the server");
  return value;
}

const part = (name: "major" | "minor" | "patch") =>
  celMethod(name, SEMVER, [], INT, function () {
    return int(read(this)[name]);
  });

export const semverFunctions: CelFunc[] = [
  celFunc("semver", [STRING], SEMVER, (text) => make(parseSemver(text))),
  celFunc("semver", [STRING, BOOL], SEMVER, (text, normalize) => make((normalize ? normalizeSemver : parseSemver)(text))),
  celFunc("isSemver", [STRING], BOOL, (text) => isSemver(text, false)),
  celFunc("isSemver", [STRING, BOOL], BOOL, isSemver),
  part("major"),
  part("minor"),
  part("patch"),
  ...comparisonMethods(SEMVER, read, compareSemver),
];
