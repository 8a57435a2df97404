// Schema formats and number ranges as the live v1.37.2 refused or took each value (dryRun=All, recorded case by case; test/e2e/validate-formats.test.ts replays them against the server).
import { describe, expect, it } from "vitest";
import { matchesFormat, serverFormat } from "../../../runtime/validate/formats.js";
import { formatFieldError, validateWithModule } from "../../../runtime/validate/index.js";
import type { ValidationModule } from "../../../runtime/api/validation-schema.js";

/** Per format: what the server took, what it refused, and what it refused that the client leaves to it (never the other way). */
const SERVER: Record<string, { accepted: string[]; refused: string[]; leftToServer?: string[] }> = {
  "date-time": {
    accepted: ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123456789Z", "2024-01-02T03:04:05+01:00", "2024-01-02t03:04:05z"],
    refused: ["2024-01-02", "2024-01-02T03:04:05", "2024-01-02 03:04:05Z", "2024-01-02T03:04Z", "2024-13-02T03:04:05Z", "2024-01-02T03:04:05+0100", "2024-02-30T00:00:00Z", "yesterday", ""],
  },
  date: { accepted: ["2024-01-02", "2024-02-29", "0000-01-01"], refused: ["2024-1-2", "2024-02-30", "2023-02-29", "2024-13-01", "20240102", "2024-01-02T00:00:00Z", "", "+999-01-02"] },
  ipv4: { accepted: ["1.2.3.4", "01.2.3.4", "::ffff:1.2.3.4", "0.0.0.0"], refused: ["1.2.3", "::1", "1.2.3.4 ", "256.1.1.1", ""] },
  ipv6: { accepted: ["::1", "2001:db8::1", "::ffff:1.2.3.4", "2001:DB8::1"], refused: ["1.2.3.4", "fe80::1%eth0", ":::", "1::2::3", ""] },
  cidr: { accepted: ["10.0.0.0/8", "10.1.2.3/8", "2001:db8::/32", "010.0.0.0/8", "10.0.0.0/08"], refused: ["10.0.0.0/33", "10.0.0.0", ""] },
  mac: {
    accepted: ["00:11:22:33:44:55", "00-11-22-33-44-55", "0011.2233.4455", "00:11:22:33:44:55:66:77", "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33"],
    refused: ["00:11:22:33:44", "zz:11:22:33:44:55", ""],
  },
  hostname: {
    accepted: ["example.com", "a", "ünicode.de"],
    refused: ["-a.com", "a-.com", "a_b.com", "example.c", "1.2.3.4", "ex ample", "a.b.c.", "", `${"a".repeat(64)}.com`],
  },
  email: {
    accepted: ["a@b.c", "a@b", "A <a@b.c>", '"a b"@c.d', "a!#@b-c.d", "a+b@c"],
    refused: ["a", "", "@b", "a@", "a@b..c", "a.@b", ".a@b", "a..b@c", "a@b@c", "a@b.", "a@.b"],
    leftToServer: ["A <a@>", "(c) a@b..c"],
  },
  uri: { accepted: ["http://x", "/path", "mailto:a@b", "*", "http://x/a b"], refused: ["x", "", "a b"], leftToServer: ["http://[::1", "http://x/%zz"] },
  uuid: { accepted: ["123e4567-e89b-12d3-a456-426614174000", "123E4567E89B12D3A456426614174000"], refused: ["123e4567-e89b-12d3-a456", ""] },
  uuid3: { accepted: ["123e4567-e89b-32d3-a456-426614174000"], refused: ["x", "123e4567-e89b-12d3-a456-426614174000"] },
  bsonobjectid: { accepted: ["507f1f77bcf86cd799439011", "507F1F77BCF86CD799439011"], refused: ["507f1f77bcf86cd79943901", "zzzzzzzzzzzzzzzzzzzzzzzz", ""] },
  duration: { accepted: ["1h", "1 h", "22 ns", "1d", "1w", "3 days", "1.5h", "-1h", "1h30m", "+1s", "1 hour"], refused: ["", "1", "h"], leftToServer: ["1y"] },
  byte: { accepted: ["aGk=", "YQ=="], refused: ["aGk", "a-_=", "YQ"], leftToServer: ["", "aGk=\n"] },
  isbn: { accepted: ["0321751043", "978-0321751041", "080442957X", "0-321-75104-3", "0 321 75104 3", "978 0 321 75104 1"], refused: ["123", "0321751044", "080442957x", "9780321751042", ""] },
  isbn10: { accepted: ["0321751043"], refused: ["9780321751041"] },
  isbn13: { accepted: ["9780321751041"], refused: ["0321751043"] },
  ssn: { accepted: ["123-45-6789", "123 45 6789", "123-45 6789"], refused: ["123456789", "12-345-6789", "123-456789", "abc-de-fghi"] },
  rgbcolor: {
    accepted: ["rgb(255,255,255)", "rgb( 1, 2, 3)", "rgb(0,0,0)", "rgb(1, 2 ,3 )", "rgb(199,2,3)", "rgb(249,2,3)", "rgb(\t1,2,3)", "rgb(19,2,3)", "rgb(100,2,3)"],
    refused: ["rgb(256,0,0)", "red", "rgb(01,2,3)", "rgb(1,2,3,4)", "RGB(1,2,3)", "rgb(1,2,3)\n", "rgb(1,2,3) ", "rgb(260,2,3)"],
  },
  // Checked from 1.34 on: the generator keeps the format only for such a server (see collect.test.ts).
  "k8s-short-name": { accepted: ["abc", "a-b", "1a", "a".repeat(63)], refused: ["Abc", "-a", "a.b", "", "a".repeat(64), "a-"] },
  "k8s-long-name": { accepted: ["a.b", "a".repeat(253), `${"a".repeat(64)}.b`, "1.2.3"], refused: ["A.b", "a..b", "a".repeat(254), "-a.b", "", "a.-b", "a.b-", "a_b"] },
  // Not checked by v1.37.2 (a newer apiextensions adds it).
  quantity: { accepted: ["1Gi", "abc", "1.0.0", ""], refused: [] },
  // Stripped by apiextensions: only `-` is dropped before matching, case is kept.
  "Date-Time": { accepted: ["yesterday"], refused: [] },
  DateTime: { accepted: ["yesterday"], refused: [] },
  date_time: { accepted: ["yesterday"], refused: [] },
  foo: { accepted: ["x"], refused: [] },
  "int-or-string": { accepted: ["x", ""], refused: [] },
};

describe("string formats as the server checks them", () => {
  for (const [format, { accepted, refused, leftToServer = [] }] of Object.entries(SERVER)) {
    it(`${format}: takes what the server takes, refuses what it surely refuses`, () => {
      expect(accepted.filter((value) => matchesFormat("string", format, value) === false)).toEqual([]);
      expect(refused.filter((value) => matchesFormat("string", format, value) !== false)).toEqual([]);
      expect(leftToServer.filter((value) => matchesFormat("string", format, value) !== "unsure")).toEqual([]);
    });
  }
  it("follows Go's parsers where JavaScript's differ", () => {
    // net.ParseIP as k8s.io/utils keeps it (leading zeros allowed), not Node's net.isIPv4.
    expect(matchesFormat("string", "ipv4", "010.001.002.003")).toBe(true);
    // ...but ipv6 as today's Go reads it (four hex digits a group, no leading zeros in an IPv4 tail), and cidr sloppy again.
    expect(matchesFormat("string", "ipv6", "0000:0000:0000:0000:0000:0000:0000:00001")).toBe(false);
    expect(matchesFormat("string", "ipv6", "::ffff:01.2.3.4")).toBe(false);
    expect(matchesFormat("string", "ipv4", "::ffff:01.2.3.4")).toBe(true);
    expect(matchesFormat("string", "ipv4", "::1.2.3.4")).toBe(true);
    expect(matchesFormat("string", "cidr", "00001::/64")).toBe(true);
    expect(matchesFormat("string", "ipv6", "1:2:3:4:5:6:7:8:9")).toBe(false);
    expect(matchesFormat("string", "ipv6", "1:2:3:4:5:6:1.2.3.4")).toBe(true);
    expect(matchesFormat("string", "ipv6", "1:2:3:4:5:1.2.3.4")).toBe(false);
    // strfmt's date-time: any character before the fraction (Go's `.`), extra `t` parts ignored.
    expect(matchesFormat("string", "date-time", "2024-01-02T03:04:05,5Z")).toBe(true);
    expect(matchesFormat("string", "date", "2100-02-29")).toBe(false);
    // ASCII symbols are \p{S} in strfmt's host name pattern.
    expect(matchesFormat("string", "hostname", "a+b.com")).toBe(true);
    // url.ParseRequestURI: a colon first has no scheme; a query is not a path.
    expect(matchesFormat("string", "uri", ":x")).toBe(false);
    expect(matchesFormat("string", "uri", "?a=/b")).toBe(false);
    expect(matchesFormat("string", "duration", "0")).toBe("unsure");
    expect(matchesFormat("string", "duration", "1.h")).toBe("unsure");
    // A lone surrogate reaches Go as U+FFFD: left to the server.
    expect(matchesFormat("string", "uuid", "\ud800")).toBe("unsure");
  });
  it("keeps only the formats apiextensions keeps for each type", () => {
    expect(serverFormat("integer", "int32")).toBe("int32");
    expect(serverFormat("integer", "uint32")).toBeUndefined();
    expect(serverFormat("number", "float")).toBe("float");
    expect(serverFormat("number", "int32")).toBeUndefined();
    expect(serverFormat("string", "date-time")).toBe("date-time");
    expect(serverFormat(undefined, "ipv4")).toBe("ipv4");
    expect(serverFormat("boolean", "ipv4")).toBeUndefined();
  });
});

const module: ValidationModule = {
  module: "example.com/v1",
  schemas: {
    T: {
      type: "object",
      properties: {
        i32: { type: "integer", format: "int32" },
        i64: { type: "integer", format: "int64" },
        int: { type: "integer" },
        f32: { type: "number", format: "float" },
        dbl: { type: "number", format: "double" },
        u32: { type: "integer", format: "uint32" },
        ip: { type: "string", format: "ipv4" },
        data: { type: "string", format: "byte" },
      },
    },
  },
  imports: {},
};
const errorsOf = (field: string, value: unknown) => validateWithModule(module, "T", { metadata: { name: "t" }, [field]: value }, false).map(formatFieldError);

describe("number formats and wrongly typed values, in the server's words", () => {
  it("checks int32, int64 and float ranges", () => {
    expect(errorsOf("i32", 2147483647)).toEqual([]);
    expect(errorsOf("i32", -2147483648)).toEqual([]);
    expect(errorsOf("i32", 2147483648)).toEqual(['<nil>: Invalid value: "": Checked value must be of type integer with format int32 in i32']);
    expect(errorsOf("i32", -2147483649)).toEqual(['<nil>: Invalid value: "": Checked value must be of type integer with format int32 in i32']);
    expect(errorsOf("i64", 2 ** 62)).toEqual([]);
    // 2^63 is sent as 9223372036854776000, which Go decodes as a float64.
    expect(errorsOf("i64", 2 ** 63)).toEqual([
      '<nil>: Invalid value: "": Checked value must be of type integer with format int64 in i64',
      'i64: Invalid value: "float64": i64 in body must be of type int64: "float64"',
    ]);
    expect(errorsOf("int", 1e19)).toEqual([
      '<nil>: Invalid value: "": Checked value must be of type integer (default format) in int',
      'int: Invalid value: "number": int in body must be of type integer: "number"',
    ]);
    expect(errorsOf("f32", 3.5e38)).toEqual(['<nil>: Invalid value: "": Checked value must be of type number with format float in f32']);
    expect(errorsOf("f32", 1.5)).toEqual([]);
    expect(errorsOf("dbl", 1e300)).toEqual([]);
    // A format apiextensions strips is never checked.
    expect(errorsOf("u32", -1)).toEqual([]);
  });
  it("names a wrongly typed value by its format, unless it is a string or a list", () => {
    expect(errorsOf("i32", 1.5)).toEqual([
      '<nil>: Invalid value: "": Checked value must be of type integer with format int32 in i32',
      'i32: Invalid value: "float64": i32 in body must be of type int32: "float64"',
    ]);
    expect(errorsOf("i64", true)).toEqual(['i64: Invalid value: "": i64 in body must be of type int64: ""']);
    expect(errorsOf("i32", "x")).toEqual(['i32: Invalid value: "string": i32 in body must be of type integer: "string"']);
    expect(errorsOf("f32", "x")).toEqual(['f32: Invalid value: "string": f32 in body must be of type number: "string"']);
    expect(errorsOf("data", 5)).toEqual(['data: Invalid value: "int64": data in body must be of type byte: "int64"']);
    expect(errorsOf("ip", "::1")).toEqual(['ip: Invalid value: "::1": ip in body must be of type ipv4: "::1"']);
  });
});
