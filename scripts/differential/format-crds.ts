// A CRD of our own with a field per schema format the server knows and per combinator (anyOf, oneOf, not), for the differential corpus and its e2e.
export const FORMAT_GROUP = "formatcheck.kubetyped.test";

const formatted = (format: string, type = "string") => ({ type, format });

/** The Gauge's spec fields: every format apiextensions keeps (and two it strips), and the combinators in the shapes a structural schema allows. */
const properties = {
  i32: formatted("int32", "integer"),
  i64: formatted("int64", "integer"),
  count: { type: "integer" },
  f32: formatted("float", "number"),
  when: formatted("date-time"),
  day: formatted("date"),
  ip4: formatted("ipv4"),
  ip6: formatted("ipv6"),
  net: formatted("cidr"),
  mac: formatted("mac"),
  host: formatted("hostname"),
  mail: formatted("email"),
  link: formatted("uri"),
  id: formatted("uuid"),
  id4: formatted("uuid4"),
  oid: formatted("bsonobjectid"),
  wait: formatted("duration"),
  blob: formatted("byte"),
  isbn: formatted("isbn"),
  color: formatted("rgbcolor"),
  hex: formatted("hexcolor"),
  size: formatted("quantity"),
  short: formatted("k8s-short-name"),
  stripped: formatted("Date-Time"),
  any: { type: "string", anyOf: [{ maxLength: 2 }, { pattern: "^x" }] },
  one: { type: "string", oneOf: [{ maxLength: 2 }, { pattern: "^x" }] },
  not: { type: "string", not: { pattern: "^x" } },
  notMail: { type: "string", not: { format: "email" } },
  either: { type: "object", properties: { a: { type: "string" }, b: { type: "integer" } }, anyOf: [{ required: ["a"] }, { required: ["b"], properties: { b: { maximum: 3 } } }] },
  only: {
    type: "object",
    properties: { a: { type: "string" }, b: { type: "integer", default: 2 } },
    oneOf: [{ properties: { a: { maxLength: 1 } } }, { properties: { a: { maxLength: 1, pattern: "^x" }, b: { minimum: 1 } } }],
  },
  without: { type: "object", properties: { a: { type: "string" } }, not: { required: ["a"] } },
  list: { type: "array", maxItems: 4, items: { type: "string" }, anyOf: [{ maxItems: 1 }, { items: { pattern: "^x" } }] },
  addr: { type: "string", format: "ipv4", anyOf: [{ maxLength: 7 }, { pattern: "^1" }] },
};

export const formatCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: `gauges.${FORMAT_GROUP}` },
  spec: {
    group: FORMAT_GROUP,
    scope: "Namespaced",
    names: { plural: "gauges", singular: "gauge", kind: "Gauge", listKind: "GaugeList" },
    versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties } } } } }],
  },
} as const;

/** A Gauge the server takes. */
export const validGaugeSpec = {
  i32: 1, i64: 2, count: 3, f32: 1.5, when: "2024-01-02T03:04:05Z", day: "2024-01-02", ip4: "10.0.0.1", ip6: "::1", net: "10.0.0.0/8",
  mac: "00:11:22:33:44:55", host: "example.com", mail: "a@b.c", link: "https://example.com/x", id: "123e4567-e89b-12d3-a456-426614174000",
  id4: "123e4567-e89b-42d3-a456-426614174000", oid: "507f1f77bcf86cd799439011", wait: "1h", blob: "aGk=", isbn: "0321751043",
  color: "rgb(1,2,3)", hex: "#fff", size: "1Gi", short: "abc", stripped: "x", any: "ab", one: "ab", not: "ab", notMail: "plain",
  either: { a: "x" }, only: { a: "x", b: 0 }, without: {}, list: ["a"], addr: "1.2.3.4",
};

/** Per field: values the server takes and refuses, Go's edge cases where JavaScript's parsers differ, and wrong types. */
export const gaugeFieldPool: Record<string, readonly unknown[]> = {
  i32: [2147483647, 2147483648, -2147483648, -2147483649, 1.5, "1", true, 1e19],
  i64: [2 ** 53, 2 ** 62, 2 ** 63, -(2 ** 63), 1e19, 1.5, true, {}],
  count: [2 ** 63, 1e19, -1, 2.5],
  f32: [3.4e38, 3.5e38, 1e39, -1e39, 1e-50, 2, "x"],
  when: ["2024-01-02T03:04:05.5+01:00", "2024-01-02t03:04:05z", "2024-01-02", "2024-01-02T03:04:05", "2024-02-30T00:00:00Z", "2024-01-02T24:00:00Z", "2024-01-02T03:04:05+0100", "", 5],
  day: ["2024-02-29", "2023-02-29", "2024-1-2", "2024-13-01", "", "2024-01-02T00:00:00Z", "+999-01-02"],
  ip4: ["1.2.3.4", "01.2.3.4", "001.002.003.004", "::ffff:1.2.3.4", "::1.2.3.4", "1.2.3", "256.1.1.1", "::1", "1.2.3.4 ", "", true],
  ip6: ["2001:db8::1", "2001:DB8::1", "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1.2.3.4", "fe80::1%eth0", ":::", "1::2::3", "00001::1", "1:2:3:4:5:6:7:8:9", ""],
  net: ["10.0.0.0/8", "10.1.2.3/8", "010.0.0.0/08", "2001:db8::/32", "::/0", "10.0.0.0/33", "10.0.0.0", "10.0.0.0/", "/8", ""],
  mac: ["00-11-22-33-44-55", "0011.2233.4455", "00:11:22:33:44:55:66:77", "00:11:22:33:44", "00:11-22:33:44:55", "zz:11:22:33:44:55", ""],
  host: ["a", "a+b.com", "ünicode.de", "-a.com", "a-.com", "a_b.com", "example.c", "1.2.3.4", "a.b.c.", `${"a".repeat(64)}.com`, ""],
  mail: ["a@b", "A <a@b.c>", "a", "@b", "a@", "a@b..c", ""],
  link: ["/path", "mailto:a@b", "*", "http://x/a b", "x", "a b", ":x", "?a=/b", "http://[::1", "http://x/%zz", ""],
  id: ["123E4567E89B12D3A456426614174000", "123e4567-e89b-12d3-a456", "", "x"],
  id4: ["123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-42d3-c456-426614174000"],
  oid: ["507F1F77BCF86CD799439011", "507f1f77bcf86cd79943901", "zzzzzzzzzzzzzzzzzzzzzzzz", ""],
  wait: ["1 h", "22 ns", "1d", "3 days", "1.5h", "-1h", "+1s", "0", "1.h", "1", "h", "1y", ""],
  blob: ["YQ==", "aGk", "a-_=", "YQ", "", "aGk=\n", 5, ["a"]],
  isbn: ["978-0321751041", "123"],
  color: ["rgb(255,255,255)", "rgb(256,0,0)", "red"],
  hex: ["#FFFFFF", "fff", "#ffff", "#ggg"],
  size: ["abc", "1.0.0", ""],
  short: ["Abc", "-a", "a.b", ""],
  stripped: ["yesterday"],
  any: ["xyz", "abc", ""],
  one: ["xy", "abc", "x"],
  not: ["xa", ""],
  notMail: ["a@", "a@b", "a"],
  either: [{}, { b: 5 }, { b: 2 }, { a: "x", b: 9 }],
  only: [{ a: "xy" }, { a: "x", b: 2 }, { a: "ab", b: 0 }, { a: "y" }, {}],
  without: [{ a: "x" }, { a: null }],
  list: [["a", "b"], ["x", "y"], ["x", "xy"], []],
  addr: ["abcdefgh", "2.3.4.5", "10.0.0.1", "1.2.3.4.5"],
};
