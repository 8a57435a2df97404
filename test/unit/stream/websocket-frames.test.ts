import { describe, expect, it } from "vitest";
import { acceptKey, encodeFrame, FrameParser, Opcode } from "../../support/websocket-frames.js";

/**
 * The protocol test server's RFC 6455 codec, checked against the examples of RFC 6455 itself
 * (§1.3 for the handshake, §5.7 for frames), so the e2e tests rest on a server that speaks real WebSocket.
 */
const bytes = (...values: number[]) => Buffer.from(values);
const HELLO = Buffer.from("Hello");
const MASK = bytes(0x37, 0xfa, 0x21, 0x3d);

describe("RFC 6455 §1.3 opening handshake", () => {
  it("answers the sample nonce with the sample Sec-WebSocket-Accept", () => {
    expect(acceptKey("dGhlIHNhbXBsZSBub25jZQ==")).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });
});

describe("RFC 6455 §5.7 examples", () => {
  it("a single-frame unmasked text message", () => {
    const wire = bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    expect(encodeFrame({ opcode: Opcode.text, payload: HELLO })).toEqual(wire);
    expect(new FrameParser().push(wire)).toEqual([{ fin: true, opcode: Opcode.text, payload: HELLO }]);
  });

  it("a single-frame masked text message", () => {
    const wire = bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
    expect(encodeFrame({ opcode: Opcode.text, payload: HELLO, mask: MASK })).toEqual(wire);
    expect(new FrameParser().push(wire)).toEqual([{ fin: true, opcode: Opcode.text, mask: MASK, payload: HELLO }]);
  });

  it("a fragmented unmasked text message, split at any byte", () => {
    const first = bytes(0x01, 0x03, 0x48, 0x65, 0x6c);
    const second = bytes(0x80, 0x02, 0x6c, 0x6f);
    const wire = Buffer.concat([first, second]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const parser = new FrameParser();
      const frames = [...parser.push(wire.subarray(0, cut)), ...parser.push(wire.subarray(cut))];
      expect(frames).toEqual([
        { fin: false, opcode: Opcode.text, payload: Buffer.from("Hel") },
        { fin: true, opcode: Opcode.continuation, payload: Buffer.from("lo") },
      ]);
    }
    expect(encodeFrame({ fin: false, opcode: Opcode.text, payload: Buffer.from("Hel") })).toEqual(first);
    expect(encodeFrame({ opcode: Opcode.continuation, payload: Buffer.from("lo") })).toEqual(second);
  });

  it("an unmasked ping and the masked pong answering it", () => {
    const ping = bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    const pong = bytes(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
    expect(encodeFrame({ opcode: Opcode.ping, payload: HELLO })).toEqual(ping);
    expect(encodeFrame({ opcode: Opcode.pong, payload: HELLO, mask: MASK })).toEqual(pong);
    expect(new FrameParser().push(pong)[0]).toMatchObject({ opcode: Opcode.pong, payload: HELLO });
  });

  it("256 bytes of binary data in a single unmasked frame use the 16-bit length", () => {
    const payload = Buffer.alloc(256, 0xab);
    const frame = encodeFrame({ opcode: Opcode.binary, payload });
    expect(frame.subarray(0, 4)).toEqual(bytes(0x82, 0x7e, 0x01, 0x00));
    expect(frame.length).toBe(4 + 256);
    expect(new FrameParser().push(frame)).toEqual([{ fin: true, opcode: Opcode.binary, payload }]);
  });

  it("64 KiB of binary data in a single unmasked frame use the 64-bit length", () => {
    const payload = Buffer.alloc(65536, 0x5a);
    const frame = encodeFrame({ opcode: Opcode.binary, payload });
    expect(frame.subarray(0, 10)).toEqual(bytes(0x82, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00));
    expect(new FrameParser().push(frame)[0]!.payload.equals(payload)).toBe(true);
  });

  it("rejects reserved bits that no extension negotiated", () => {
    expect(() => new FrameParser().push(bytes(0xc1, 0x00))).toThrow(/RSV/);
  });
});
