import { describe, expect, it } from "vitest";
import { KubeClient, WatchEventTooLargeError } from "../../../runtime/index.js";
import { decodeWatchEvents, WatchDecodeError, type WatchEvent } from "../../../runtime/watch/index.js";
import { configmaps } from "../../types/fixtures.js";
import { FakeTransport } from "./fake-transport.js";

const encoder = new TextEncoder();

async function* chunksOf(...parts: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? encoder.encode(part) : part;
}

async function collect<T>(events: AsyncIterable<WatchEvent<T>>): Promise<Array<WatchEvent<T>>> {
  const out: Array<WatchEvent<T>> = [];
  for await (const event of events) out.push(event);
  return out;
}

const events = [
  { type: "ADDED", object: { kind: "ConfigMap", metadata: { name: "a", resourceVersion: "1" }, data: { emoji: "☸️ ünïcödé" } } },
  { type: "MODIFIED", object: { kind: "ConfigMap", metadata: { name: "a", resourceVersion: "2" } } },
  { type: "BOOKMARK", object: { kind: "ConfigMap", metadata: { resourceVersion: "3" } } },
  { type: "DELETED", object: { kind: "ConfigMap", metadata: { name: "a", resourceVersion: "4" } } },
  { type: "ERROR", object: { kind: "Status", status: "Failure", code: 410, reason: "Expired", message: "too old resource version" } },
];
const stream = events.map((event) => JSON.stringify(event) + "\n").join("");
const bytes = encoder.encode(stream);

describe("decodeWatchEvents", () => {
  it("decodes several events in one chunk, including an ERROR with its Status", async () => {
    const decoded = await collect(decodeWatchEvents(chunksOf(stream)));
    expect(decoded).toEqual(events);
    const error = decoded[4]!;
    expect(error.type === "ERROR" && error.object.code).toBe(410);
  });

  it("gives the same events whatever the chunk boundaries, even inside a multi-byte character", async () => {
    for (let size = 1; size <= 17; size += 4) {
      const chunks: Uint8Array[] = [];
      for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
      expect(await collect(decodeWatchEvents(chunksOf(...chunks)))).toEqual(events);
    }
    for (let cut = 1; cut < bytes.length; cut += 7) {
      expect(await collect(decodeWatchEvents(chunksOf(bytes.subarray(0, cut), bytes.subarray(cut))))).toEqual(events);
    }
  });

  it("yields each event as soon as its line is complete", async () => {
    let released = false;
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield encoder.encode(JSON.stringify(events[0]) + "\n" + '{"type":"MODI');
      released = true;
      yield encoder.encode('FIED","object":{}}\n');
    }
    const iterator = decodeWatchEvents(slow())[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toEqual(events[0]);
    expect(released).toBe(false);
    expect((await iterator.next()).value).toEqual({ type: "MODIFIED", object: {} });
  });

  it("skips blank lines and accepts \\r\\n", async () => {
    const decoded = await collect(decodeWatchEvents(chunksOf("\n", JSON.stringify(events[0]) + "\r\n\n")));
    expect(decoded).toEqual([events[0]]);
  });

  it("accepts a complete final event without a newline", async () => {
    expect(await collect(decodeWatchEvents(chunksOf(JSON.stringify(events[1]))))).toEqual([events[1]]);
  });

  it("fails on a trailing partial line, after yielding the complete events", async () => {
    const seen: unknown[] = [];
    const truncated = stream + '{"type":"ADDED","object":{"metadata":';
    await expect(
      (async () => {
        for await (const event of decodeWatchEvents(chunksOf(truncated), "GET https://h/api/v1/configmaps?watch=true")) seen.push(event);
      })(),
    ).rejects.toThrow(/GET https:\/\/h\/api\/v1\/configmaps\?watch=true: the stream ended in the middle of an event/);
    expect(seen).toEqual(events);
  });

  it("rejects lines that are not watch events", async () => {
    await expect(collect(decodeWatchEvents(chunksOf("not json\n")))).rejects.toThrow(WatchDecodeError);
    await expect(collect(decodeWatchEvents(chunksOf('{"type":"SOMETHING","object":{}}\n')))).rejects.toThrow(/got type "SOMETHING"/);
    await expect(collect(decodeWatchEvents(chunksOf('{"type":"ADDED"}\n')))).rejects.toThrow(/ADDED event has no object/);
  });
});

describe("decodeWatchEvents on bytes", () => {
  const emoji = { type: "ADDED", object: { kind: "ConfigMap", metadata: { name: "e", resourceVersion: "5" }, data: { text: "𝔘𝔫𝔦 ☸️ 😀 ü" } } };
  const emojiBytes = encoder.encode(`${JSON.stringify(emoji)}\n${JSON.stringify(events[1])}\n`);

  it("keeps 2-, 3- and 4-byte characters whole whatever byte they are cut at, one byte per chunk included", async () => {
    for (const size of [1, 2, 3, 5, 7]) {
      const chunks: Uint8Array[] = [];
      for (let offset = 0; offset < emojiBytes.length; offset += size) chunks.push(emojiBytes.subarray(offset, offset + size));
      expect(await collect(decodeWatchEvents(chunksOf(...chunks)))).toEqual([emoji, events[1]]);
    }
  });

  it("reports bytes that are not UTF-8 as a WatchDecodeError that is not a truncation, after the events of earlier chunks", async () => {
    const bad = new Uint8Array([...encoder.encode(`${JSON.stringify(events[0])}\n{"type":"ADDED","object":{"x":"`), 0xff, 0xfe, ...encoder.encode(`"}}\n`)]);
    const seen: unknown[] = [];
    const error = await (async () => {
      const cut = encoder.encode(JSON.stringify(events[0])).length + 5;
      for await (const event of decodeWatchEvents(chunksOf(bad.subarray(0, cut), bad.subarray(cut)), "GET /w")) seen.push(event);
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WatchDecodeError);
    expect(error).toMatchObject({ truncated: false, message: "watch GET /w: the stream is not valid UTF-8; a proxy or the connection corrupted it" });
    expect(seen).toEqual([events[0]]);
  });

  it("calls a stream that ends inside a character truncated (the connection broke mid-event)", async () => {
    const cut = emojiBytes.subarray(0, emojiBytes.indexOf(0xf0) + 2);
    await expect(collect(decodeWatchEvents(chunksOf(cut)))).rejects.toMatchObject({ name: "WatchDecodeError", truncated: true });
  });

  it("skips lines of spaces and tabs, and takes \\r\\n line ends in every chunking", async () => {
    const crlf = encoder.encode(`  \t \r\n${JSON.stringify(events[0])}\r\n\r\n \n${JSON.stringify(events[3])}\r\n`);
    for (let cut = 1; cut < crlf.length; cut += 3) {
      expect(await collect(decodeWatchEvents(chunksOf(crlf.subarray(0, cut), crlf.subarray(cut))))).toEqual([events[0], events[3]]);
    }
  });

  it("decodes a burst of many events per chunk the same as one event per chunk", async () => {
    const burst = Array.from({ length: 200 }, (_, i) => ({ type: "MODIFIED", object: { kind: "Pod", metadata: { name: `p${i}`, resourceVersion: String(i) } } }));
    const body = encoder.encode(burst.map((event) => `${JSON.stringify(event)}\n`).join(""));
    const big: Uint8Array[] = [];
    for (let offset = 0; offset < body.length; offset += 4096) big.push(body.subarray(offset, offset + 4096));
    expect(await collect(decodeWatchEvents(chunksOf(...big)))).toEqual(burst);
  });
});

describe("decodeWatchEvents as an async generator", () => {
  /** A body that records whether it was closed, and can be made to wait between chunks. */
  function trackedBody(parts: string[], gate?: Promise<void>) {
    const state = { closed: false, served: 0 };
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        async next() {
          if (state.served === 1 && gate) await gate;
          if (state.served >= parts.length) return { value: undefined, done: true as const };
          return { value: encoder.encode(parts[state.served++]!), done: false as const };
        },
        async return() {
          state.closed = true;
          return { value: undefined, done: true as const };
        },
      }),
    };
    return { body, state };
  }
  const line = (event: unknown) => `${JSON.stringify(event)}\n`;

  it("closes the body when the consumer stops early, and answers done afterwards", async () => {
    const { body, state } = trackedBody([line(events[0]) + line(events[1]), line(events[3])]);
    const stream = decodeWatchEvents(body);
    for await (const event of stream) {
      expect(event).toEqual(events[0]);
      break;
    }
    expect(state.closed).toBe(true);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it("closes the body when a line is not an event, and is done after the error", async () => {
    const { body, state } = trackedBody([line(events[0]) + "nope\n" + line(events[1])]);
    const stream = decodeWatchEvents(body);
    expect((await stream.next()).value).toEqual(events[0]);
    await expect(stream.next()).rejects.toThrow(WatchDecodeError);
    expect(state.closed).toBe(true);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it("answers calls made before earlier ones settled in order, across a wait for the body", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { body } = trackedBody([line(events[0]), line(events[1]), line(events[3])], gate);
    const stream = decodeWatchEvents(body);
    const pending = [stream.next(), stream.next(), stream.next(), stream.next()];
    open();
    expect(await Promise.all(pending)).toEqual([
      { value: events[0], done: false },
      { value: events[1], done: false },
      { value: events[3], done: false },
      { value: undefined, done: true },
    ]);
  });

  it("return() waits for a call in progress, then closes the body; throw() ends it with the error", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { body, state } = trackedBody([line(events[0]), line(events[1])], gate);
    const stream = decodeWatchEvents(body);
    expect((await stream.next()).value).toEqual(events[0]);
    const next = stream.next();
    const returned = stream.return();
    open();
    expect(await next).toEqual({ value: events[1], done: false });
    expect(await returned).toEqual({ value: undefined, done: true });
    expect(state.closed).toBe(true);

    const other = decodeWatchEvents(trackedBody([line(events[0])]).body);
    await expect(other.throw(new Error("stop"))).rejects.toThrow("stop");
    expect(await other.next()).toEqual({ value: undefined, done: true });
  });
});

describe("decodeWatchEvents on large events", () => {
  /** One ADDED event whose object holds `size` bytes of data, as the bytes of its line. */
  const bigEventLine = (size: number) => encoder.encode(`${JSON.stringify({ type: "ADDED", object: { metadata: { name: "big", resourceVersion: "9" }, data: { blob: "x".repeat(size) } } })}\n`);
  const inChunks = (bytes: Uint8Array, size: number) => {
    const chunks: Uint8Array[] = [];
    for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
    return chunks;
  };

  it("decodes a 40 MB event in 64 KiB chunks with work linear in its bytes: each character searched for a newline once", { timeout: 60_000 }, async () => {
    const line = bigEventLine(40_000_000);
    const chunks = inChunks(line, 64 * 1024);
    // The work of cutting lines is the characters String#indexOf looks through; the old decoder searched the
    // whole pending text again on each chunk: 640 chunks × up to 40 MB.
    let searched = 0;
    const indexOf = String.prototype.indexOf;
    // A plain wrapper, not vi.spyOn: a spy keeps every call's `this`, and the old decoder's were 40 MB strings.
    String.prototype.indexOf = function (this: string, search: string, from?: number) {
      // Only long texts count: the decoder's chunks are 64 KiB; anything else calling indexOf meanwhile is not its work.
      if (this.length >= 1_024) searched += this.length - Math.max(0, from ?? 0);
      return indexOf.call(this, search, from);
    };
    let decoded: Array<WatchEvent<{ data: { blob: string } }>>;
    try {
      decoded = await collect(decodeWatchEvents<{ data: { blob: string } }>(chunksOf(...chunks), "GET /w", { maxEventBytes: 64 * 1024 * 1024 }));
    } finally {
      String.prototype.indexOf = indexOf;
    }
    expect(decoded).toHaveLength(1);
    expect((decoded[0]!.object as { data: { blob: string } }).data.blob).toHaveLength(40_000_000);
    expect(searched).toBeLessThanOrEqual(line.length + chunks.length);
  });

  it("refuses an event over maxEventBytes with a typed error as soon as that many bytes arrived, without reading the rest", async () => {
    let sent = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      const chunk = encoder.encode(`{"type":"ADDED","object":{"data":"${"a".repeat(64 * 1024)}`);
      for (;;) {
        sent += chunk.length;
        yield chunk;
      }
    }
    const error = await collect(decodeWatchEvents(endless(), "GET /w", { maxEventBytes: 1024 * 1024 })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WatchEventTooLargeError);
    expect(error).toMatchObject({ maxEventBytes: 1024 * 1024, message: "watch GET /w: an event is larger than 1048576 bytes (maxEventBytes); raise maxEventBytes if objects this large are expected" });
    expect(sent).toBeLessThan(1024 * 1024 + 128 * 1024);
    // One chunk holding a whole line over the limit is refused too, and the default limit is 32 MiB.
    await expect(collect(decodeWatchEvents(chunksOf(bigEventLine(2_000)), "GET /w", { maxEventBytes: 1_000 }))).rejects.toBeInstanceOf(WatchEventTooLargeError);
    sent = 0;
    await expect(collect(decodeWatchEvents(endless(), "GET /w"))).rejects.toMatchObject({ maxEventBytes: 32 * 1024 * 1024 });
    expect(sent).toBeLessThan(33 * 1024 * 1024);
  });

  it("a resource client's watch ends with the typed error (not retried: the same event would come again)", async () => {
    const transport = new FakeTransport();
    const kube = new KubeClient(transport, { namespace: "ns" });
    transport.reply({ chunks: [new TextDecoder().decode(bigEventLine(5_000))] });
    const error = await collect(kube.resource(configmaps).watch({ resourceVersion: "1", maxEventBytes: 4_096 })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WatchEventTooLargeError);
    expect(transport.sent).toHaveLength(1);
    expect(() => kube.resource(configmaps).watch({ maxEventBytes: 0 })).toThrow(/invalid maxEventBytes: 0 is not a positive whole number of bytes/);
  });
});
