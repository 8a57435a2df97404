import { describe, expect, it } from "vitest";
import { createRequestBase } from "../../../runtime/request/base.js";
import { buildRequest } from "../../../runtime/request/build.js";
import { readListPage, WHOLE_PARSE_LIMIT } from "../../../runtime/rest/json-body.js";
import { createRestClient } from "../../../runtime/rest/rest-client.js";
import { ResponseDecodeError } from "../../../runtime/rest/status-errors.js";
import type { ResponseBody } from "../../../runtime/rest/types.js";

/** A body that hands over `bytes` in the given chunk sizes (cycled). */
function bodyOf(bytes: Uint8Array, sizes: number[]): ResponseBody & { read: () => boolean } {
  let textRead = false;
  return {
    read: () => textRead,
    async text() {
      textRead = true;
      return Buffer.from(bytes).toString("utf8");
    },
    async *[Symbol.asyncIterator]() {
      for (let at = 0, n = 0; at < bytes.length; n++) {
        const size = Math.max(1, sizes[n % sizes.length]!);
        yield bytes.subarray(at, at + size);
        at += size;
      }
    },
  };
}

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Decodes `text` streamed in chunks of `sizes` bytes (unknown length, so the item-by-item path). */
const streamed = (text: string, sizes = [7]) => readListPage(bodyOf(utf8(text), sizes), undefined, "GET /test");

const LIST = JSON.stringify({
  kind: "PodList",
  apiVersion: "v1",
  metadata: { resourceVersion: "12", continue: "abc" },
  items: [
    { metadata: { name: "a", annotations: { note: 'say "hi" \\ ok \\\\", "items": [1]' } } },
    { metadata: { name: "ü-ñ-日本-🚀" }, spec: { list: [[1, 2], { x: [] }], empty: {} } },
    { metadata: { name: "c", labels: { "]": "}", "[": "{", ",": ":" } } },
  ],
});

describe("readListPage", () => {
  it("parses a list streamed in chunks of any size to what JSON.parse gives", async () => {
    const expected = JSON.parse(LIST);
    for (const size of [1, 2, 3, 5, 64, 100_000]) expect(await streamed(LIST, [size])).toEqual(expected);
  });

  it("parses answers of known small length whole (one text(), one JSON.parse)", async () => {
    const body = bodyOf(utf8(LIST), [3]);
    expect(await readListPage(body, LIST.length, "GET /test")).toEqual(JSON.parse(LIST));
    expect(body.read()).toBe(true);
    const large = bodyOf(utf8(LIST), [3]);
    await readListPage(large, WHOLE_PARSE_LIMIT + 1, "GET /test");
    expect(large.read()).toBe(false);
  });

  it("keeps JSON.parse's answer for whitespace, repeated and escaped items keys, items that are not objects, and other shapes", async () => {
    const texts = [
      ' \n{ "items" : [ 1 , "two" , null , true , [ ] , { } ] , "kind" : "List" }\r\n',
      '{"items":[{"a":1}],"items":[{"b":2}]}',
      '{"\\u0069tems":[{"a":1}],"other":[1,2]}',
      '{"items":[]}',
      '{"items":[ ]}',
      '{"items":{"not":"an array"}}',
      '{"metadata":{"items":[1,2]},"items":[{"metadata":{"items":[3]}}]}',
      '{"__proto__":{"polluted":true},"items":[{"__proto__":{"x":1}}]}',
      '[{"items":[1]}]',
      '"items"',
      "42",
      "",
      "   ",
    ];
    for (const text of texts) {
      const expected = text.trim() === "" ? undefined : JSON.parse(text);
      for (const size of [1, 4, 1000]) expect(await streamed(text, [size]), `${text} in chunks of ${size}`).toEqual(expected);
    }
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it("rejects what JSON.parse rejects, naming the request", async () => {
    const texts = ['{"items":[1,]}', '{"items":[,1]}', '{"items":[1 2]}', '{"items":[1,,2]}', '{"items":[{"a":1}}', '{"items":[{"a":1}],}', '{"items" [1]}', '{"kind":"List"', '{"items":[{"a":"unterminated}]}', "{'items':[]}"];
    for (const text of texts) {
      expect(() => JSON.parse(text), text).toThrow();
      for (const size of [1, 3, 1000]) await expect(streamed(text, [size]), `${text} in chunks of ${size}`).rejects.toThrow(ResponseDecodeError);
    }
    await expect(streamed('{"items":[{"a":1},{"b":')).rejects.toThrow(/GET \/test: the answer ended inside its items/);
    await expect(streamed('{"items":[{"a":1},{"b":}]}')).rejects.toThrow(/GET \/test: the answer's items from item 0 on are not JSON/);
  });

  it("agrees with JSON.parse on every one-character corruption of a list", async () => {
    const source = JSON.stringify({ kind: "List", metadata: { resourceVersion: "1" }, items: [{ a: 'x"\\y', b: [1, { c: null }] }, { d: "]" }] });
    const replacements = ['"', "\\", "{", "}", "[", "]", ",", ":", " ", "1", "x"];
    for (let at = 0; at < source.length; at++) {
      for (const replacement of replacements) {
        const text = source.slice(0, at) + replacement + source.slice(at + 1);
        let expected: unknown;
        let rejects = false;
        try {
          expected = JSON.parse(text);
        } catch {
          rejects = true;
        }
        const answer = streamed(text, [3, 1, 8]);
        if (rejects) await expect(answer, text).rejects.toThrow(ResponseDecodeError);
        else expect(await answer, text).toEqual(expected);
      }
    }
  });

  it("replaces bytes that are not UTF-8 as text() does, even when a character is cut off at the end", async () => {
    const bytes = Buffer.concat([utf8('{"items":[{"name":"a'), Buffer.from([0xff, 0xe6, 0x97]), utf8('"}],"x":"'), Buffer.from([0xe6, 0x97]), utf8('"}')]);
    const expected = JSON.parse(bytes.toString("utf8"));
    for (const size of [1, 2, 5]) expect(await readListPage(bodyOf(bytes, [size]), undefined, "GET /test")).toEqual(expected);
    const cut = Buffer.concat([utf8('{"items":[]} '), Buffer.from([0xe6])]);
    await expect(readListPage(bodyOf(cut, [4]), undefined, "GET /test")).rejects.toThrow(ResponseDecodeError);
  });

  it("cuts a big page into batches at item boundaries, whatever the piece sizes, and still rejects a trailing comma", async () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ metadata: { name: `pod-${i}`, annotations: { note: `${"\\".repeat(i % 5)}"${"x".repeat(400)}` } } }));
    const text = JSON.stringify({ kind: "PodList", metadata: { resourceVersion: "9" }, items });
    expect(text.length).toBeGreaterThan(3 * 32 * 1024);
    for (const sizes of [[1000], [4096, 1, 17], [65536]]) expect(await streamed(text, sizes)).toEqual(JSON.parse(text));
    await expect(streamed(`${text.slice(0, -2)},]}`, [4096])).rejects.toThrow(/end in a comma after item 300|not JSON/);
    await expect(streamed(text.replace('"pod-250"', '"pod-250",,'), [4096])).rejects.toThrow(ResponseDecodeError);
  });

  it("reads backslash runs cut at any piece boundary", async () => {
    for (let run = 0; run <= 5; run++) {
      const backslashes = "\\".repeat(run);
      const text = JSON.stringify({ items: [{ s: `a${backslashes}"b${backslashes}` }, backslashes], t: `${backslashes}"` });
      const expected = JSON.parse(text);
      for (const size of [1, 2, 3, 4]) expect(await streamed(text, [size]), `${text} in chunks of ${size}`).toEqual(expected);
    }
  });
});

describe("RestClient.json", () => {
  const transportAnswering = (text: string) => {
    const sent: Array<Record<string, unknown>> = [];
    return {
      sent,
      server: "https://k8s.example:6443",
      async send(request: object) {
        sent.push(request as Record<string, unknown>);
        const body: ResponseBody = {
          text: async () => {
            throw new Error("a paged list must not be read as one string");
          },
          async *[Symbol.asyncIterator]() {
            for (let at = 0; at < text.length; at += 1000) yield new TextEncoder().encode(text.slice(at, at + 1000));
          },
        };
        return { statusCode: 200, headers: {}, body };
      },
      close: async () => {},
    };
  };
  const pods = createRequestBase({ group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true }, "ns");

  it("reads a paged list's answer as it arrives and sends the request without the decoding hint", async () => {
    const page = JSON.stringify({ kind: "PodList", metadata: { continue: "next" }, items: Array.from({ length: 50 }, (_, i) => ({ metadata: { name: `p${i}` } })) });
    const transport = transportAnswering(page);
    const rest = createRestClient(transport);
    expect(await rest.json(buildRequest(pods, { verb: "list", options: { limit: 50 } }))).toEqual(JSON.parse(page));
    expect(transport.sent[0]).not.toHaveProperty("batchItems");
    await expect(rest.json(buildRequest(pods, { verb: "list" }))).rejects.toThrow(/must not be read as one string/);
  });
});
