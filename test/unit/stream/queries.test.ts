import { describe, expect, it } from "vitest";
import { buildQuery, RequestValidationError } from "../../../runtime/request/index.js";
import { buildExecQuery } from "../../../runtime/stream/exec.js";
import type { RestClient } from "../../../runtime/rest/types.js";
import { buildLogQuery, splitLines, streamLogLines } from "../../../runtime/stream/logs.js";

async function collect(chunks: Uint8Array[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of splitLines((async function* () { yield* chunks; })())) lines.push(line);
  return lines;
}

describe("pods/exec and pods/attach query", () => {
  it("repeats command, sends only the requested streams", () => {
    expect(buildQuery(buildExecQuery({ command: ["sh", "-c", "echo hi && exit 3"], container: "app" }))).toBe(
      "?command=sh&command=-c&command=echo+hi+%26%26+exit+3&container=app&stderr=true&stdout=true",
    );
    expect(buildQuery(buildExecQuery({ command: ["cat"], stdin: true, tty: true }))).toBe("?command=cat&stdin=true&stdout=true&tty=true");
    expect(buildQuery(buildExecQuery({ stdin: "data", stdout: false, stderr: false }))).toBe("?stdin=true");
  });
  it("rejects an empty command and a session with no stream", () => {
    expect(() => buildExecQuery({ command: [] })).toThrow(RequestValidationError);
    expect(() => buildExecQuery({ command: ["ls", 1 as unknown as string] })).toThrow(RequestValidationError);
    expect(() => buildExecQuery({ stdout: false, stderr: false })).toThrow(/at least one/);
  });
});

describe("pods/log query", () => {
  it("sends set options only, sinceTime as RFC 3339 seconds", () => {
    expect(buildQuery(buildLogQuery({ container: "app", follow: false, previous: true, sinceTime: new Date(Date.UTC(2024, 4, 1, 10, 0, 0, 999)) }))).toBe(
      "?container=app&previous=true&sinceTime=2024-05-01T10%3A00%3A00Z",
    );
  });
  it("validates as the API server does", () => {
    expect(() => buildLogQuery({ tailLines: -1 })).toThrow(RequestValidationError);
    expect(() => buildLogQuery({ sinceSeconds: 0 })).toThrow(RequestValidationError);
    expect(() => buildLogQuery({ limitBytes: 1.5 })).toThrow(RequestValidationError);
    expect(() => buildLogQuery({ sinceSeconds: 1, sinceTime: "2024-01-01T00:00:00Z" })).toThrow(/either/);
    expect(() => buildLogQuery({ sinceTime: new Date("nope") })).toThrow(/invalid Date/);
  });
});

describe("splitLines", () => {
  it("joins lines and multi-byte characters split across chunks, keeps a last line without newline", async () => {
    const text = Buffer.from("café au lait\nsecond\r\nlast");
    const cutInsideE = text.indexOf(0xa9); // second byte of "é"
    expect(await collect([text.subarray(0, cutInsideE), text.subarray(cutInsideE, 16), text.subarray(16)])).toEqual(["café au lait", "second\r", "last"]);
    expect(await collect([Buffer.from("a\n\nb\n")])).toEqual(["a", "", "b"]);
    expect(await collect([])).toEqual([]);
  });
  it("streams with follow unless told false: an option given as undefined is one not given", async () => {
    const paths: string[] = [];
    const rest = { stream: async (request: { path: string }) => (paths.push(request.path), (async function* () {})()) } as unknown as RestClient;
    for (const options of [{}, { follow: undefined, container: undefined }, { follow: false }]) {
      for await (const _ of streamLogLines(rest, "/api/v1/namespaces/a/pods/p/log", options));
    }
    expect(paths).toEqual(["/api/v1/namespaces/a/pods/p/log?follow=true", "/api/v1/namespaces/a/pods/p/log?follow=true", "/api/v1/namespaces/a/pods/p/log"]);
  });
});
