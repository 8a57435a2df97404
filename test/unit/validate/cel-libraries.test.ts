import { describe, expect, it } from "vitest";
import { compileCelRule } from "../../../runtime/validate/cel/index.js";

const ANY = { type: "object", "x-kubernetes-preserve-unknown-fields": true };

/** true/false: the rule's verdict; "server": the rule compiled but kubetyped leaves this evaluation to the server. */
function run(rule: string, self: unknown = {}, schema: unknown = ANY): boolean | "server" {
  const compiled = compileCelRule({ rule, messageExpression: "'m'" }, schema);
  if (!compiled.ok) throw new Error(compiled.reason);
  const violation = compiled.rule.check(self);
  if (violation === undefined) {
    const negated = compileCelRule({ rule: `!(${rule})` }, schema);
    if (!negated.ok) throw new Error(negated.reason);
    return negated.rule.check(self) === undefined ? "server" : true;
  }
  return false;
}
/** The message a failing rule's messageExpression answers. */
function message(expression: string, self: unknown = {}): string | undefined {
  const compiled = compileCelRule({ rule: "false", messageExpression: expression }, ANY);
  if (!compiled.ok) throw new Error(compiled.reason);
  return compiled.rule.check(self)?.message;
}

describe("Kubernetes CEL URL library (Go's net/url)", () => {
  it("isURL: absolute URIs and absolute paths, as ParseRequestURI reads them", () => {
    for (const ok of ["https://user:pass@example.com:80/path?query=val#fragment", "/absolute-path", "*", "http:", "mailto:a@b", "https://example.com/path with spaces/", "https://example.com:/x", "https://example.com/%41"]) expect(run(`isURL('${ok}')`), ok).toBe(true);
    for (const bad of ["../relative-path", "", "https://example.com/%zz", "https://exa mple.com/", "https://example.com:8x/", "1http://x", ":x", "http://u%zz@h/", "http://u{@h/", "https://example.com/p#%zz"]) expect(run(`isURL('${bad}')`), bad).toBe(false);
    expect(run("isURL(self.s)", { s: "a\tb" })).toBe(false);
  });
  it("leaves hosts Go versions read differently to the server: several colons, IP literals, escapes", () => {
    expect(run("isURL('https://a:b:c/')")).toBe("server");
    expect(run("isURL('https://[::1]:80/')")).toBe("server");
    expect(run("isURL('https://ex%41mple.com/')")).toBe("server");
  });
  it("getters: scheme, host, hostname, port, escaped path, query", () => {
    expect(run("url('https://user:pass@example.com:80/path?query=val#fragment').getHost() == 'example.com:80'")).toBe(true);
    expect(run("url('HTTP://Example.com/').getScheme() == 'http' && url('HTTP://Example.com/').getHostname() == 'Example.com'")).toBe(true);
    expect(run("url('https://example.com:80/').getPort() == '80' && url('https://example.com/').getPort() == '' && url('/path').getHost() == ''")).toBe(true);
    expect(run("url('https://example.com:/x').getHost() == 'example.com:' && url('https://example.com:/x').getPort() == ''")).toBe(true);
    expect(run("url('//host/p').getHost() == 'host' && url('//host/p').getEscapedPath() == '/p'")).toBe(true);
    expect(message("url('https://example.com/path with spaces/').getEscapedPath() + '|' + url('https://example.com/a!b').getEscapedPath() + '|' + url('https://example.com/%41').getEscapedPath() + '|' + url('https://example.com').getEscapedPath()")).toBe("/path%20with%20spaces/|/a!b|/%41|");
    expect(run("url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}")).toBe(true);
    expect(run("url('https://example.com/path?key with spaces=value with spaces').getQuery() == {'key with spaces': ['value with spaces']}")).toBe(true);
    expect(run("url('https://example.com/path?a=1;b=2&c=%zz&d=%41+x').getQuery() == {'d': ['A x']} && url('https://example.com/path?').getQuery() == {}")).toBe(true);
    expect(message("url('https://example.com/ü?x=ü').getEscapedPath() + url('https://example.com/ü?x=ü').getQuery()['x'][0]")).toBe("/%C3%BCü");
  });
  it("url() of what ParseRequestURI refuses is an error: the server's to judge", () => {
    expect(run("url('../relative').getScheme() == ''")).toBe("server");
  });
});

describe("Kubernetes CEL format library", () => {
  it("validate() answers optional.none for a valid value and the apimachinery errors otherwise", () => {
    expect(run("!format.dns1123Label().validate('my-name').hasValue() && format.dns1123Label().validate('My_Name').hasValue()")).toBe(true);
    expect(message("format.dns1123Label().validate('a.b').value().join('; ')")).toBe("must not contain dots");
    // apimachinery's RegexError puts ", " after each example and " or " between them: two spaces, as the server words it.
    expect(message("format.dns1123Label().validate('A').value().join('; ')")).toBe(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
    // v1.37.2 words the DNS names' length in characters and a label key's or value's in bytes
    expect(message(`format.dns1123Label().validate('${"a".repeat(64)}').value().join('; ')`)).toBe("must be no more than 63 characters");
    expect(message(`format.labelValue().validate('${"a".repeat(64)}').value().join('; ')`)).toBe("must be no more than 63 bytes");
    expect(run("!format.dns1123Subdomain().validate('apiextensions.k8s.io').hasValue() && format.dns1123Subdomain().validate('-x.io').hasValue()")).toBe(true);
    expect(run("!format.dns1035Label().validate('abc-1').hasValue() && format.dns1035Label().validate('1abc').hasValue()")).toBe(true);
    expect(run("!format.qualifiedName().validate('apiextensions.k8s.io/v1beta1').hasValue() && format.qualifiedName().validate('a/b/c').hasValue()")).toBe(true);
    expect(message("format.qualifiedName().validate('/x').value().join('; ')")).toBe("prefix part must be non-empty");
    expect(run("!format.labelValue().validate('').hasValue() && format.labelValue().validate('-a').hasValue()")).toBe(true);
    expect(run("!format.dns1123LabelPrefix().validate('my-label-prefix-').hasValue() && format.dns1123Label().validate('my-label-prefix-').hasValue()")).toBe(true);
    expect(run("!format.dns1123SubdomainPrefix().validate('mysubdomain.prefix.-').hasValue() && !format.dns1035LabelPrefix().validate('my-label-prefix-').hasValue() && format.dns1035LabelPrefix().validate('1a-').hasValue() && !format.dns1035LabelPrefix().validate('1-').hasValue()")).toBe(true); // Go's quirk: '1-' is read as 'a'
    expect(run("format.dns1123LabelPrefix().validate(self.s).hasValue()", { s: "é-" })).toBe("server"); // Go drops the last two bytes, not characters
    expect(message("format.uri().validate('../x').value()[0]")).toBe('parse "../x": invalid URI for request');
    expect(run("!format.uri().validate('http://example.com').hasValue()")).toBe(true);
  });
  it("format.named(): a format by name, optional.none for an unknown name", () => {
    expect(run("format.named('dns1123Label').hasValue() && !format.named('nope').hasValue() && format.named('labelValue').value().validate('ok').hasValue() == false")).toBe(true);
  });
  it("leaves strfmt's formats (uuid, byte, date, datetime) to the server", () => {
    expect(compileCelRule({ rule: "!format.uuid().validate(self.s).hasValue()" }, ANY)).toMatchObject({ ok: false });
    expect(run("!format.named('uuid').value().validate('x').hasValue()")).toBe("server");
  });
});

describe("Kubernetes CEL semver library (blang/semver v4)", () => {
  it("isSemver and semver(), strict and normalized", () => {
    expect(run("isSemver('1.0.0') && isSemver('0.1.0-alpha.1+build.5') && !isSemver('v1.0') && !isSemver('1.0') && !isSemver('01.0.0') && !isSemver('1.0.0-01') && !isSemver('hello')")).toBe(true);
    expect(run("isSemver('v1.0', true) && isSemver('01.01.01', true) && !isSemver('1.0-alpha', true) && semver('v1.2', true) == semver('1.2.0')")).toBe(true);
    expect(run("semver('1.2.3').major() == 1 && semver('1.2.3').minor() == 2 && semver('1.2.3').patch() == 3")).toBe(true);
    expect(run("semver('200K').major() == 0")).toBe("server");
  });
  it("orders as Version.Compare: releases above prereleases, numeric below alphanumeric, build ignored", () => {
    expect(run("semver('1.2.3').compareTo(semver('2.0.0')) == -1 && semver('1.2.3').compareTo(semver('0.1.2')) == 1 && semver('1.2.3').compareTo(semver('1.2.3+b')) == 0")).toBe(true);
    expect(run("semver('1.0.0-alpha').isLessThan(semver('1.0.0')) && semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-alpha.beta')) && semver('1.0.0-beta.11').isGreaterThan(semver('1.0.0-beta.2'))")).toBe(true);
    expect(run("semver('1.0.0-alpha').isLessThan(semver('1.0.0-alpha.1')) && semver('1.0.0+a') == semver('1.0.0+b')")).toBe(true);
  });
});

describe("date, date-time and duration strings typed as the server types them", () => {
  const schema = { type: "object", properties: { start: { type: "string", format: "date-time" }, end: { type: "string", format: "date-time" }, day: { type: "string", format: "date" }, timeout: { type: "string", format: "duration" } } };
  it("date-time is a timestamp, date a timestamp at midnight UTC, duration a duration", () => {
    expect(run("self.end > self.start && self.end - self.start == duration('90m')", { start: "2026-01-01T10:00:00Z", end: "2026-01-01T11:30:00Z" }, schema)).toBe(true);
    expect(run("self.end > self.start", { start: "2026-01-01T10:00:00.5Z", end: "2026-01-01T10:00:00.25Z" }, schema)).toBe(false);
    expect(run("self.day == timestamp('2024-02-29T00:00:00Z') && self.day.getDayOfWeek() == 4", { day: "2024-02-29" }, schema)).toBe(true);
    expect(run("self.timeout <= duration('1h') && self.timeout == duration('1m30s')", { timeout: "1.5m" }, schema)).toBe(true);
    expect(run("self.timeout > duration('0s')", { timeout: "-2h45m" }, schema)).toBe(false);
    expect(run("type(self.start) == google.protobuf.Timestamp && string(self.start) == '2026-01-01T10:00:00Z'", { start: "2026-01-01T10:00:00Z" }, schema)).toBe(true);
  });
  it("reads offsets, except where the rule prints a timestamp (Go keeps the offset, string() shows it)", () => {
    expect(run("self.end > self.start", { start: "2026-01-01T12:00:00+02:00", end: "2026-01-01T10:30:00Z" }, schema)).toBe(true);
    expect(run("self.end > self.start", { start: "2026-01-01T12:00:00+02:00", end: "2026-01-01T09:30:00Z" }, schema)).toBe(false);
    expect(run("self.start == timestamp('2026-01-01T05:00:00Z')", { start: "2026-01-01T00:00:00-05:00" }, schema)).toBe(true);
    expect(run("string(self.start) != ''", { start: "2026-01-01T12:00:00+02:00" }, schema)).toBe("server");
  });
  it("leaves to the server what Go may read otherwise: strfmt's extra spellings, impossible dates", () => {
    expect(run("self.timeout > duration('0s')", { timeout: "3 days" }, schema)).toBe("server");
    expect(run("self.day > timestamp('2000-01-01T00:00:00Z')", { day: "2023-02-29" }, schema)).toBe("server");
  });
});

describe("CEL's optional syntax", () => {
  it("is named as the reason a rule is left to the server (@bufbuild/cel does not parse it)", () => {
    expect(compileCelRule({ rule: "self.?spec.?replicas.orValue(1) > 0" }, ANY)).toEqual({ ok: false, reason: expect.stringContaining("optional field or index syntax") });
    expect(compileCelRule({ rule: "self.l[?0].hasValue()" }, ANY)).toEqual({ ok: false, reason: expect.stringContaining("optional field or index syntax") });
    expect(compileCelRule({ rule: "self.s == '.?'" }, ANY)).toMatchObject({ ok: true });
  });
  it("optional.of/none, hasValue, value, orValue, or run", () => {
    expect(run("optional.of(1).hasValue() && optional.of(2).value() == 2 && optional.none().orValue(3) == 3 && !optional.none().hasValue()")).toBe(true);
    expect(run("optional.none().or(optional.of(4)).value() == 4 && optional.of(5).or(optional.of(6)).value() == 5 && !optional.none().or(optional.none()).hasValue()")).toBe(true);
  });
});
