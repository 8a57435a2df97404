// Answers that are not what HTTP allows or expects: bytes a header may not hold, long and non-ASCII warnings, paths from servers.
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { clientFromConnection } from "../../../runtime/connect.js";
import { NetworkError, RequestValidationError, type ApiWarning } from "../../../runtime/index.js";
import { configmaps } from "../../types/fixtures.js";
import { connectionTo } from "./servers.js";

const body = '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x"}}';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A server that answers every request with `head` (status line and headers, as raw bytes), then `body`; and counts requests. */
async function rawServer(head: Buffer | string): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = net.createServer((socket) =>
    socket.once("data", () => {
      requests++;
      socket.end(Buffer.concat([Buffer.from(head as string, typeof head === "string" ? "latin1" : undefined), Buffer.from(`\r\n${body}`)]));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

function client(url: string, warnings: ApiWarning[] = []) {
  const kube = clientFromConnection(connectionTo(url), { warnings: (warning) => warnings.push(warning), maxRetries: 0 });
  cleanups.push(() => kube.close());
  return kube;
}

const get = (url: string, warnings?: ApiWarning[]) => client(url, warnings).resource(configmaps).get("x", { namespace: "ns" });
const ok = (...headers: string[]) => `HTTP/1.1 200 OK\r\n${[...headers, "Content-Type: application/json"].join("\r\n")}\r\n`;

describe("answers with headers HTTP forbids", () => {
  it("a control byte in a header is reported as what it is, not as a body-length mismatch, wherever Content-Length stands", async () => {
    for (const head of [ok("X-Note: a\x01b", `Content-Length: ${body.length}`), ok(`Content-Length: ${body.length}`, "X-Note: a\x01b")]) {
      const server = await rawServer(head);
      const error = await get(server.url).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NetworkError);
      expect(String(error)).toMatch(new RegExp(`^NetworkError: the answer from ${server.url} is not valid HTTP/1.1: a response header.*(holds a control character|a control character)`));
      expect(String(error)).not.toMatch(/length does not match/);
      expect(server.requests()).toBe(1); // a corrupt answer is not retried
    }
  });

  it("a bare LF and a control byte in a header name are named too", async () => {
    const lf = await rawServer(ok("X-Note: a\nb", `Content-Length: ${body.length}`));
    await expect(get(lf.url)).rejects.toThrow(/is not valid HTTP\/1.1: a response header holds a bare LF/);
    const name = await rawServer(ok("X-N\x01ote: ab", `Content-Length: ${body.length}`));
    await expect(get(name.url)).rejects.toThrow(/is not valid HTTP\/1.1: a response header's name holds a character HTTP forbids/);
  });
});

describe("warnings the server may send", () => {
  it("a 20 KiB Warning does not fail the request, and reaches the handler whole", async () => {
    const text = "w".repeat(20 * 1024);
    const server = await rawServer(ok(`Warning: 299 - "${text}"`, `Content-Length: ${body.length}`));
    const warnings: ApiWarning[] = [];
    const got = await get(server.url, warnings);
    expect(got.metadata.name).toBe("x");
    expect(warnings.map((warning) => warning.text)).toEqual([text]);
  });

  it("headers over 1 MiB fail with a message that says so", async () => {
    const server = await rawServer(ok(`Warning: 299 - "${"w".repeat(1024 * 1024)}"`, `Content-Length: ${body.length}`));
    await expect(get(server.url)).rejects.toThrow(/has more than 1024 KiB of headers \(UND_ERR_HEADERS_OVERFLOW\)/);
  });

  it("a UTF-8 warning is read as UTF-8 (bytes 0x80–0x9F included), bytes that are not UTF-8 as Latin-1", async () => {
    const text = "naïve café — ü 😀 Ā"; // "—" and "Ā" hold bytes 0x80–0x9F: as Latin-1 they were C1 controls, and the warning was dropped
    const utf8 = await rawServer(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nWarning: 299 - "'), Buffer.from(text, "utf8"), Buffer.from(`"\r\nContent-Length: ${body.length}\r\n`)]));
    const warnings: ApiWarning[] = [];
    await get(utf8.url, warnings);
    expect(warnings.map((warning) => warning.text)).toEqual([text]);
    const latin1 = await rawServer(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nWarning: 299 - "caf'), Buffer.from([0xe9]), Buffer.from(`"\r\nContent-Length: ${body.length}\r\n`)]));
    const more: ApiWarning[] = [];
    await get(latin1.url, more);
    expect(more.map((warning) => warning.text)).toEqual(["café"]);
  });
});

describe("paths built from what a server said", () => {
  it("a group name with a control character is refused naming the segment, before any request and without a network hint", async () => {
    const server = await rawServer(ok(`Content-Length: ${body.length}`));
    const error = await client(server.url)
      .requestJson({ method: "GET", path: "/apis/ex\u0007ample.com/v1" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(String(error)).toBe(
      'RequestValidationError: invalid path: "/apis/ex\\u0007ample.com/v1" holds a control character (U+0007) in the segment "ex\\u0007ample.com"; percent-encode it, or check where that name came from',
    );
    await expect(client(server.url).requestJson({ method: "GET", path: "/apis/a\u0085b/v1" })).rejects.toThrow(/holds a control character \(U\+0085\) in the segment "a\\u0085b"/);
    await expect(client(server.url).requestJson({ method: "GET", path: "/api/v1/namespaces/my ns" })).rejects.toThrow(/holds a space \(U\+0020\) in the segment "my ns"/);
    expect(server.requests()).toBe(0);
  });
});
