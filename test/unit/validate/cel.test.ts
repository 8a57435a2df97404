import { describe, expect, it } from "vitest";
import { compileCelRule, type CelValidationRule } from "../../../runtime/validate/cel/index.js";

const OBJECT = { type: "object", properties: { n: { type: "integer" }, d: { type: "number" }, s: { type: "string" }, l: { type: "array", items: { type: "integer" } }, ls: { type: "array", items: { type: "string" } }, m: { type: "object", additionalProperties: { type: "string" } }, ios: { "x-kubernetes-int-or-string": true } } };

function verdict(rule: string | CelValidationRule, self: unknown, oldSelf?: unknown, schema: unknown = OBJECT) {
  const compiled = compileCelRule(typeof rule === "string" ? { rule } : rule, schema);
  if (!compiled.ok) throw new Error(compiled.reason);
  return compiled.rule.check(self, oldSelf);
}
const passes = (rule: string, self: unknown, schema?: unknown) => verdict(rule, self, undefined, schema) === undefined;

describe("CEL rules", () => {
  it("fails a false rule with the server's default message, reason and fieldPath", () => {
    expect(verdict("self.n >= 0", { n: -1 })).toEqual({ message: "failed rule: self.n >= 0", reason: "FieldValueInvalid" });
    expect(verdict({ rule: "self.n >= 0", message: "n must be >= 0", reason: "FieldValueForbidden", fieldPath: ".n" }, { n: -1 })).toEqual({ message: "n must be >= 0", reason: "FieldValueForbidden", fieldPath: ".n" });
    expect(verdict("self.n >= 0", { n: 1 })).toBeUndefined();
  });
  it("types self from the schema: integer is int, number is double, int-or-string either, has() sees only set fields", () => {
    expect(passes("self.n == 2 && type(self.n) == int", { n: 2 })).toBe(true);
    expect(passes("type(self.d) == double", { d: 2 })).toBe(true);
    expect(passes("type(self.ios) == int", { ios: 3 })).toBe(true);
    expect(passes("type(self.ios) == string", { ios: "50%" })).toBe(true);
    expect(passes("!has(self.s) && has(self.n)", { n: 1, s: null })).toBe(true);
    const open = { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    expect(passes("type(self.x) == int && type(self.y) == double && !has(self.z)", { x: 2, y: 2.5, z: null }, open)).toBe(true);
    expect(passes("self.m.all(k, self.m[k].size() > 0)", { m: { a: "x" } })).toBe(true);
  });
  it("uses messageExpression, and falls back to message when it fails or answers nothing", () => {
    const rule = { rule: "self.n < 3", message: "static", messageExpression: "'n is ' + string(self.n)" };
    expect(verdict(rule, { n: 5 })?.message).toBe("n is 5");
    expect(verdict({ ...rule, messageExpression: "self.missing" }, { n: 5 })?.message).toBe("static");
    expect(verdict({ ...rule, messageExpression: "''" }, { n: 5 })?.message).toBe("static");
  });
  it("runs transition rules only with oldSelf, and optionalOldSelf rules with an optional", () => {
    const compiled = compileCelRule({ rule: "self.n >= oldSelf.n" }, OBJECT);
    expect(compiled.ok && compiled.rule.isTransition).toBe(true);
    expect(verdict("self.n >= oldSelf.n", { n: 1 })).toBeUndefined();
    expect(verdict("self.n >= oldSelf.n", { n: 1 }, { n: 2 })?.message).toBe("failed rule: self.n >= oldSelf.n");
    const optional = { rule: "!oldSelf.hasValue() || self.n >= oldSelf.value().n", optionalOldSelf: true };
    expect(verdict(optional, { n: 1 })).toBeUndefined();
    expect(verdict(optional, { n: 1 }, { n: 2 })).toBeDefined();
    expect(verdict({ rule: "oldSelf.orValue({'n': 0}).n == 0", optionalOldSelf: true }, { n: 1 })).toBeUndefined();
  });
  it("leaves to the server what it cannot judge: unknown functions, unparsed syntax, errors at run time", () => {
    expect(compileCelRule({ rule: "self.s.frobnicate()" }, OBJECT)).toMatchObject({ ok: false, reason: expect.stringContaining(".frobnicate()") });
    expect(compileCelRule({ rule: "self.l.all(i, v, v > 0)" }, OBJECT)).toMatchObject({ ok: false });
    expect(compileCelRule({ rule: "self.?s.orValue('') == ''" }, OBJECT)).toMatchObject({ ok: false });
    expect(verdict("self.l[5] == 1", { l: [1] })).toBeUndefined();
    expect(verdict("self.n > 5", { n: 1.5 })).toBeUndefined(); // not an int: the schema's error, not CEL's
    expect(verdict("quantity(self.s).isInteger()", { s: "not a quantity" })).toBeUndefined();
  });
});

describe("Kubernetes CEL libraries", () => {
  it("lists", () => {
    expect(passes("self.l.isSorted() && self.l.sum() == 6 && self.l.min() == 1 && self.l.max() == 3", { l: [1, 2, 3] })).toBe(true);
    expect(passes("self.l.isSorted()", { l: [2, 1] })).toBe(false);
    expect(passes("self.ls.indexOf('b') == 1 && self.ls.lastIndexOf('b') == 2 && self.ls.indexOf('z') == -1", { ls: ["a", "b", "b"] })).toBe(true);
    expect(passes("[1.5, 0.5].sum() == 2.0 && [].sum() == 0", {})).toBe(true);
    expect(verdict("self.l.max() > 0", { l: [] })).toBeUndefined();
  });
  it("strings", () => {
    expect(passes("self.s.charAt(1) == 'b' && self.s.indexOf('c') == 2 && self.s.upperAscii() == 'ABC' && 'A'.lowerAscii() == 'a'", { s: "abc" })).toBe(true);
    expect(passes("self.s.replace('b', 'x') == 'axc' && self.s.split('b') == ['a', 'c'] && self.s.substring(1, 2) == 'b'", { s: "abc" })).toBe(true);
    expect(passes("' x '.trim() == 'x' && ['a', 'b'].join('-') == 'a-b' && strings.quote('a\"') == '\"a\\\\\"\"'", {})).toBe(true);
  });
  it("regex, in RE2's dialect", () => {
    expect(passes("self.s.find('[0-9]+') == '123' && self.s.findAll('[a-z]') == ['a', 'b'] && self.s.findAll('[a-z]', 1) == ['a']", { s: "a123b" })).toBe(true);
    expect(passes("self.s.matches('^a[0-9]+b$')", { s: "a123b" })).toBe(true);
    expect(verdict("self.s.find('\\\\s+') == ' '", { s: "a b" })).toBeUndefined(); // \s differs between RE2 and JavaScript
    expect(verdict("self.s.find('a.b') != ''", { s: "a\rb" })).toBeUndefined(); // RE2's . matches \r, JavaScript's does not
  });
  it("quantity", () => {
    expect(passes("quantity('1Gi') == quantity('1024Mi') && quantity('1Gi').isGreaterThan(quantity('1G'))", {})).toBe(true);
    expect(passes("quantity('1.5').isInteger() == false && quantity('2k').asInteger() == 2000 && quantity('500m').asApproximateFloat() == 0.5", {})).toBe(true);
    expect(passes("quantity('1').add(quantity('500m')) == quantity('1500m') && quantity('1').sub(2).isLessThan(quantity('0')) && quantity('1e3').compareTo(quantity('1k')) == 0", {})).toBe(true);
    // v1.37.2 refuses a CRD whose rule calls sign() on a Quantity ("found no matching overload"), so it is not offered.
    expect(compileCelRule({ rule: "quantity('1').sign() == 1" }, OBJECT)).toMatchObject({ ok: false });
    expect(passes("isQuantity('1Gi') && !isQuantity('1GiB') && !isQuantity('.')", {})).toBe(true);
  });
  it("IP and CIDR", () => {
    expect(passes("isIP('10.0.0.1') && !isIP('10.0.0.01') && !isIP('::ffff:1.2.3.4') && ip('10.0.0.1').family() == 4 && ip('::1').family() == 6", {})).toBe(true);
    expect(passes("ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8::1') && ip('2001:db8:0:0:0:0:0:1') == ip('2001:db8::1')", {})).toBe(true);
    expect(passes("ip('127.0.0.1').isLoopback() && ip('0.0.0.0').isUnspecified() && ip('fe80::1').isLinkLocalUnicast() && ip('8.8.8.8').isGlobalUnicast() && ip('224.0.0.1').isLinkLocalMulticast()", {})).toBe(true);
    expect(passes("cidr('10.0.0.0/8').containsIP('10.1.2.3') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1')) && cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')", {})).toBe(true);
    // Embedded IPv4 and zones, and prefix lengths with a leading zero: the server's to judge, never a verdict of ours.
    expect(verdict("isIP(self.s)", { s: "64:ff9b::1.2.3.4" })).toBeUndefined();
    expect(verdict("isIP(self.s)", { s: "fe80::1%eth0" })).toBeUndefined();
    expect(verdict("isCIDR(self.s)", { s: "10.0.0.0/08" })).toBeUndefined();
    expect(passes("cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8') && cidr('10.1.2.3/8').ip() == ip('10.1.2.3') && cidr('::/0').prefixLength() == 0 && !isCIDR('10.0.0.0/33')", {})).toBe(true);
  });
});
