import { afterEach, describe, expect, it } from "vitest";
import { StreamProtocolError } from "../../../runtime/stream/errors.js";
import { encodeFrame, RstStatus, SpdyFrameReader, type SpdyFrame } from "../../../runtime/stream/spdy-frames.js";
import { HeaderCompression } from "../../../runtime/stream/spdy-headers.js";
import { SpdySession, type SpdyStreamHandlers } from "../../../runtime/stream/spdy-session.js";

/** The server side of a SPDY session, in memory: reads what the client sends and answers with real frames. */
class FakePeer {
  readonly frames: SpdyFrame[] = [];
  readonly headers: Array<Array<[string, string]>> = [];
  private readonly reader = new SpdyFrameReader();
  private readonly compression = new HeaderCompression();
  private decoding: Promise<void> = Promise.resolve();
  readonly errors: Error[] = [];
  readonly decodeErrors: Error[] = [];
  readonly session = new SpdySession({ send: async (bytes) => this.take(bytes) }, (error) => this.errors.push(error));

  private take(bytes: Uint8Array): void {
    for (const frame of this.reader.push(bytes)) {
      this.frames.push(frame);
      if (frame.kind === "synStream") {
        this.decoding = this.decoding.then(async () => void this.headers.push(await this.compression.decompress(frame.headerBlock))).catch((error: Error) => void this.decodeErrors.push(error));
      }
    }
  }

  async reply(streamId: number, fin = false): Promise<void> {
    this.send({ kind: "synReply", streamId, fin, headerBlock: await this.compression.compress([]) });
  }

  send(frame: Exclude<SpdyFrame, { kind: "unknown" }>): void {
    this.session.receive(encodeFrame(frame));
  }

  /** Waits until the client has sent a frame matching `test`. */
  async sent(test: (frame: SpdyFrame) => boolean): Promise<SpdyFrame> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const found = this.frames.find(test);
      if (found) return found;
      await new Promise((wake) => setTimeout(wake, 2));
    }
    throw new Error(`the client never sent the frame; it sent ${JSON.stringify(this.frames.map((frame) => frame.kind))}`);
  }

  async decodedHeaders(): Promise<Array<Array<[string, string]>>> {
    await this.decoding;
    return this.headers;
  }

  async close(): Promise<void> {
    this.session.end();
    await this.decoding;
    this.compression.close();
    expect(this.decodeErrors).toEqual([]);
  }
}

function recorder(): SpdyStreamHandlers & { received: Buffer[]; ends: Array<Error | undefined>; remoteEnds: number } {
  const record = {
    received: [] as Buffer[],
    ends: [] as Array<Error | undefined>,
    remoteEnds: 0,
    data: (bytes: Uint8Array) => void record.received.push(Buffer.from(bytes)),
    remoteEnded: () => void (record.remoteEnds += 1),
    ended: (error?: Error) => void record.ends.push(error),
  };
  return record;
}

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++) await new Promise((wake) => setTimeout(wake, 2));
}

let peer: FakePeer;
afterEach(async () => peer?.close());

async function openedStream(headers: Array<[string, string]> = [["streamtype", "data"]]) {
  const handlers = recorder();
  const before = peer.frames.length;
  const opening = peer.session.openStream(headers, handlers);
  const syn = await peer.sent((frame) => frame.kind === "synStream" && peer.frames.indexOf(frame) >= before);
  await peer.reply((syn as { streamId: number }).streamId);
  return { stream: await opening, handlers };
}

describe("SPDY/3.1 client session", () => {
  it("opens streams with odd, increasing ids and compressed headers, resolving on SYN_REPLY", async () => {
    peer = new FakePeer();
    const first = peer.session.openStream([["streamtype", "error"], ["port", "80"]], recorder());
    const second = peer.session.openStream([["streamtype", "data"], ["port", "80"]], recorder());
    await peer.sent((frame) => frame.kind === "synStream" && frame.streamId === 3);
    await peer.reply(1);
    await peer.reply(3);
    expect([(await first).id, (await second).id]).toEqual([1, 3]);
    expect(await peer.decodedHeaders()).toEqual([
      [["streamtype", "error"], ["port", "80"]],
      [["streamtype", "data"], ["port", "80"]],
    ]);
  });

  it("delivers data, then the peer's FIN, and ends the stream once both sides are done", async () => {
    peer = new FakePeer();
    const { stream, handlers } = await openedStream();
    peer.send({ kind: "data", streamId: stream.id, fin: false, data: Buffer.from("hello ") });
    peer.send({ kind: "data", streamId: stream.id, fin: true, data: Buffer.from("world") });
    await until(() => handlers.remoteEnds > 0);
    expect(handlers.ends).toEqual([]);
    await stream.write(Buffer.from("still writable after the peer's FIN"));
    await stream.end();
    expect(Buffer.concat(handlers.received).toString()).toBe("hello world");
    expect({ remoteEnds: handlers.remoteEnds, ends: handlers.ends }).toEqual({ remoteEnds: 1, ends: [undefined] });
    expect(peer.frames.filter((frame) => frame.kind === "data").map((frame) => (frame as { fin: boolean }).fin)).toEqual([false, true]);
  });

  it("grants window back with WINDOW_UPDATE per stream and for the session once half the 64 KiB window is used", async () => {
    peer = new FakePeer();
    const { stream } = await openedStream();
    peer.send({ kind: "data", streamId: stream.id, fin: false, data: new Uint8Array(20 * 1024) });
    await new Promise((wake) => setTimeout(wake, 10));
    expect(peer.frames.filter((frame) => frame.kind === "windowUpdate")).toEqual([]);
    peer.send({ kind: "data", streamId: stream.id, fin: false, data: new Uint8Array(20 * 1024) });
    await peer.sent((frame) => frame.kind === "windowUpdate" && frame.streamId === 0);
    expect(peer.frames.filter((frame) => frame.kind === "windowUpdate")).toEqual([
      { kind: "windowUpdate", streamId: stream.id, delta: 40 * 1024 },
      { kind: "windowUpdate", streamId: 0, delta: 40 * 1024 },
    ]);
  });

  it("holds writes to the send window once the peer keeps windows, and resumes on its WINDOW_UPDATE", async () => {
    peer = new FakePeer();
    peer.send({ kind: "settings", entries: [{ id: 7, value: 1000 }] });
    const { stream } = await openedStream();
    let written = false;
    const writing = stream.write(new Uint8Array(1500)).then(() => (written = true));
    await peer.sent((frame) => frame.kind === "data");
    await new Promise((wake) => setTimeout(wake, 20));
    const sizes = () => peer.frames.filter((frame) => frame.kind === "data").map((frame) => (frame as { data: Uint8Array }).data.length);
    expect({ sizes: sizes(), written }).toEqual({ sizes: [1000], written: false });
    peer.send({ kind: "windowUpdate", streamId: stream.id, delta: 500 });
    await writing;
    expect(sizes()).toEqual([1000, 500]);
  });

  it("does not hold writes for a peer that never grants window (the kubelet's spdystream)", async () => {
    peer = new FakePeer();
    const { stream } = await openedStream();
    await stream.write(new Uint8Array(200 * 1024));
    const total = peer.frames.filter((frame) => frame.kind === "data").reduce((sum, frame) => sum + (frame as { data: Uint8Array }).data.length, 0);
    expect(total).toBe(200 * 1024);
  });

  it("answers the server's pings (even ids) and not its own", async () => {
    peer = new FakePeer();
    peer.send({ kind: "ping", id: 2 });
    peer.send({ kind: "ping", id: 1 });
    await peer.sent((frame) => frame.kind === "ping");
    await new Promise((wake) => setTimeout(wake, 10));
    expect(peer.frames.filter((frame) => frame.kind === "ping")).toEqual([{ kind: "ping", id: 2 }]);
  });

  it("a RST_STREAM ends that stream with an error naming the status, and rejects an open not yet replied", async () => {
    peer = new FakePeer();
    const { stream, handlers } = await openedStream();
    peer.send({ kind: "rstStream", streamId: stream.id, status: RstStatus.internalError });
    const pending = peer.session.openStream([["streamtype", "data"]], recorder());
    await peer.sent((frame) => frame.kind === "synStream" && frame.streamId === 3);
    peer.send({ kind: "rstStream", streamId: 3, status: RstStatus.refusedStream });
    await expect(pending).rejects.toThrow(/reset SPDY stream 3 \(refusedStream\)/);
    expect(handlers.ends[0]?.message).toMatch(/reset SPDY stream 1 \(internalError\)/);
  });

  it("GOAWAY ends streams the server did not take and refuses new ones", async () => {
    peer = new FakePeer();
    const { handlers } = await openedStream();
    const late = recorder();
    void peer.session.openStream([["streamtype", "data"]], late).catch(() => {});
    await peer.sent((frame) => frame.kind === "synStream" && frame.streamId === 3);
    peer.send({ kind: "goAway", lastGoodStreamId: 1, status: 0 });
    await until(() => late.ends.length > 0);
    await expect(peer.session.openStream([["streamtype", "data"]], recorder())).rejects.toThrow(/GOAWAY/);
    expect({ first: handlers.ends, late: late.ends.map((error) => error?.message) }).toEqual({ first: [], late: [expect.stringMatching(/going away/)] });
  });

  it("a frame for a stream never opened is a protocol error for the owner to end the transport", async () => {
    peer = new FakePeer();
    peer.send({ kind: "data", streamId: 41, fin: false, data: Uint8Array.of(1) });
    await new Promise((wake) => setTimeout(wake, 10));
    expect(peer.errors).toHaveLength(1);
    expect(peer.errors[0]).toBeInstanceOf(StreamProtocolError);
    expect(peer.errors[0]!.message).toMatch(/stream 41, which was never opened/);
  });
});
