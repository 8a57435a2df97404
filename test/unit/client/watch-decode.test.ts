import { describe, expect, it } from "vitest";
import { decodeWatchEvents, WatchDecodeError, type WatchEvent } from "../../../runtime/watch/index.js";

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
