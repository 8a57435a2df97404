import { describe, expect, it } from "vitest";
import { StreamProtocolError } from "../../../runtime/stream/errors.js";
import { decodeHeaderPairs, encodeFrame, encodeHeaderPairs, SpdyFrameReader, type SpdyFrame } from "../../../runtime/stream/spdy-frames.js";
import { HeaderCompression, SPDY3_DICTIONARY } from "../../../runtime/stream/spdy-headers.js";

/**
 * The SPDY/3.1 codec of the port-forward tunnel. The fixture frames below were written once by the Go SPDY framer
 * the kubelet uses (github.com/moby/spdystream/spdy, compress/zlib with the spec's dictionary): two SYN_STREAMs
 * of port-forward (error stream with FIN, then the data stream), their header blocks one zlib stream.
 */
const GO_SYN_ERROR =
  "800300010100003e0000000100000000000078f9e3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45e01c60616061c0c0c0c0590489c64c50f2663400000000ffff";
const GO_SYN_DATA = "800300010000001a00000003000000000000826a26ac0ad57850499508000000ffff";

function readAll(...chunks: Uint8Array[]): SpdyFrame[] {
  const reader = new SpdyFrameReader();
  return chunks.flatMap((chunk) => reader.push(chunk));
}

describe("SPDY/3 header dictionary", () => {
  it("is the spec's 1423 bytes (a wrong byte fails the Go fixture below: zlib checks the dictionary's Adler-32)", () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11).toString("latin1")).toBe("\0\0\0\x07options");
    expect(SPDY3_DICTIONARY.subarray(-6).toString("latin1")).toBe("enq=0.");
  });
});

describe("SPDY/3.1 frames", () => {
  const cases: Array<Exclude<SpdyFrame, { kind: "unknown" }>> = [
    { kind: "data", streamId: 3, fin: false, data: Uint8Array.of(1, 2, 3) },
    { kind: "data", streamId: 0x7fffffff, fin: true, data: new Uint8Array(0) },
    { kind: "synStream", streamId: 5, associatedId: 0, priority: 2, fin: true, headerBlock: Uint8Array.of(9, 8, 7) },
    { kind: "synReply", streamId: 5, fin: false, headerBlock: Uint8Array.of(1) },
    { kind: "headers", streamId: 7, fin: true, headerBlock: Uint8Array.of(2) },
    { kind: "rstStream", streamId: 9, status: 5 },
    { kind: "settings", entries: [{ id: 7, value: 1 << 20 }, { id: 4, value: 100 }] },
    { kind: "ping", id: 0xfffffffe },
    { kind: "goAway", lastGoodStreamId: 11, status: 0 },
    { kind: "windowUpdate", streamId: 3, delta: 0x7fffffff },
  ];

  it.each(cases)("round-trips $kind", (item) => {
    expect(readAll(encodeFrame(item))).toEqual([item]);
  });

  it("lays out a control frame as the spec does: C bit, version 3, type, flags, 24-bit length", () => {
    expect(Buffer.from(encodeFrame({ kind: "windowUpdate", streamId: 1, delta: 65536 })).toString("hex")).toBe("80030009000000080000000100010000");
    expect(Buffer.from(encodeFrame({ kind: "data", streamId: 1, fin: true, data: Uint8Array.of(0xab) })).toString("hex")).toBe("0000000101000001ab");
  });

  it("reassembles frames cut anywhere and several in one message", () => {
    const one = encodeFrame({ kind: "data", streamId: 1, fin: false, data: Buffer.from("hello") });
    const two = encodeFrame({ kind: "ping", id: 2 });
    const joined = Buffer.concat([one, two]);
    for (let cut = 0; cut <= joined.length; cut++) {
      expect(readAll(joined.subarray(0, cut), joined.subarray(cut)).map((item) => item.kind)).toEqual(["data", "ping"]);
    }
  });

  it("refuses a control frame of another SPDY version, and a window update of 0", () => {
    expect(() => readAll(Buffer.from("800200040000000400000000", "hex"))).toThrow(StreamProtocolError);
    expect(() => encodeFrame({ kind: "windowUpdate", streamId: 1, delta: 0 })).toThrow(/window update of 0/);
  });

  it("reports unknown control types rather than failing (SPDY says ignore them)", () => {
    expect(readAll(Buffer.from("800300ff00000000", "hex"))).toEqual([{ kind: "unknown", type: 0xff }]);
  });
});

describe("SPDY/3 header blocks", () => {
  it("round-trips name/value pairs, uncompressed", () => {
    const pairs: Array<[string, string]> = [["streamtype", "data"], ["port", "8080"], ["requestid", "0"]];
    expect(decodeHeaderPairs(encodeHeaderPairs(pairs))).toEqual(pairs);
  });

  it("refuses upper-case names and truncated blocks", () => {
    expect(() => encodeHeaderPairs([["streamType", "data"]])).toThrow(/lower case/);
    expect(() => decodeHeaderPairs(encodeHeaderPairs([["port", "80"]]).subarray(0, 10))).toThrow(StreamProtocolError);
  });

  it("inflates the Go framer's compressed headers, the second block continuing the first's zlib stream", async () => {
    const frames = readAll(Buffer.from(GO_SYN_ERROR + GO_SYN_DATA, "hex"));
    const compression = new HeaderCompression();
    try {
      expect(frames.map((item) => ({ kind: item.kind, streamId: (item as { streamId: number }).streamId, fin: (item as { fin: boolean }).fin }))).toEqual([
        { kind: "synStream", streamId: 1, fin: true },
        { kind: "synStream", streamId: 3, fin: false },
      ]);
      const headers = [];
      // Go writes a map's pairs in no fixed order.
      for (const item of frames) headers.push((await compression.decompress((item as { headerBlock: Uint8Array }).headerBlock)).sort());
      expect(headers).toEqual([
        [["port", "8080"], ["requestid", "0"], ["streamtype", "error"]],
        [["port", "8080"], ["requestid", "0"], ["streamtype", "data"]],
      ]);
    } finally {
      compression.close();
    }
  });

  it("compresses blocks that a fresh peer inflates in order, later blocks smaller through the shared context", async () => {
    const sender = new HeaderCompression();
    const receiver = new HeaderCompression();
    try {
      const pairs: Array<[string, string]> = [["streamtype", "error"], ["port", "443"], ["requestid", "7"]];
      const first = await sender.compress(pairs);
      const second = await sender.compress(pairs);
      expect(second.length).toBeLessThan(first.length);
      expect(await receiver.decompress(first)).toEqual(pairs);
      expect(await receiver.decompress(second)).toEqual(pairs);
    } finally {
      sender.close();
      receiver.close();
    }
  });

  it("names the dictionary when a block does not inflate", async () => {
    const compression = new HeaderCompression();
    try {
      await expect(compression.decompress(Buffer.from("not zlib at all"))).rejects.toThrow(/SPDY\/3 dictionary/);
    } finally {
      compression.close();
    }
  });
});
