import { describe, expect, it } from "vitest";
import {
  CHANNEL_PROTOCOL_V4,
  CHANNEL_PROTOCOL_V5,
  closedChannelOf,
  decodeChannelMessage,
  decodePortPrefix,
  encodeChannelMessage,
  encodeCloseSignal,
  encodeResize,
  EXEC_PROTOCOLS,
  ExecChannel,
  parseExitStatus,
  PORT_FORWARD_PROTOCOLS,
  portForwardChannels,
} from "../../../runtime/stream/channel-protocol.js";
import { StreamProtocolError } from "../../../runtime/stream/errors.js";

/**
 * Byte sequences from the protocol definitions: apimachinery's wsstream (conn.go's example session),
 * remotecommand's constants and TerminalSize, client-go's v5 close signal, the kubelet's exit Status and
 * its WebSocket port-forward (port as uint16 little-endian on each channel's first message).
 */
describe("channel framing (wsstream conn.go)", () => {
  it('WRITE []byte{0, 102, 111, 111, 10} sends "foo\\n" on channel 0 (stdin)', () => {
    expect([...encodeChannelMessage(ExecChannel.stdin, "foo\n")]).toEqual([0, 102, 111, 111, 10]);
  });

  it('READ []byte{1, 10} receives "\\n" on channel 1 (stdout)', () => {
    const { channel, data } = decodeChannelMessage(Uint8Array.of(1, 10));
    expect(channel).toBe(ExecChannel.stdout);
    expect([...data]).toEqual([10]);
  });

  it("channels follow the POSIX descriptors, then error and resize", () => {
    expect(ExecChannel).toEqual({ stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 });
    expect(() => decodeChannelMessage(new Uint8Array(0))).toThrow(StreamProtocolError);
    expect(() => encodeChannelMessage(256, "x")).toThrow(RangeError);
  });

  it("offers v5 before v4 for exec/attach, v4 for port-forward", () => {
    expect(EXEC_PROTOCOLS).toEqual(["v5.channel.k8s.io", "v4.channel.k8s.io"]);
    expect(CHANNEL_PROTOCOL_V5).toBe("v5.channel.k8s.io");
    expect(PORT_FORWARD_PROTOCOLS).toEqual([CHANNEL_PROTOCOL_V4]);
  });
});

describe("v5 close signal (client-go: []byte{remotecommand.StreamClose, s.id}, StreamClose = 255)", () => {
  it("closing stdin is [255, 0]", () => {
    expect([...encodeCloseSignal(ExecChannel.stdin)]).toEqual([255, 0]);
  });
  it("reads which channel the server closed", () => {
    expect(closedChannelOf(decodeChannelMessage(Uint8Array.of(255, 1)))).toBe(1);
    expect(closedChannelOf(decodeChannelMessage(Uint8Array.of(1, 255)))).toBeUndefined();
    expect(() => closedChannelOf(decodeChannelMessage(Uint8Array.of(255)))).toThrow(StreamProtocolError);
  });
});

describe("resize (remotecommand.TerminalSize, Go field names, channel 4)", () => {
  it('is [4] followed by {"Width":80,"Height":24}', () => {
    const expected = [4, ...Buffer.from('{"Width":80,"Height":24}')];
    expect([...encodeResize(80, 24)]).toEqual(expected);
  });
  it("refuses sizes a uint16 cannot hold", () => {
    expect(() => encodeResize(70000, 24)).toThrow(RangeError);
    expect(() => encodeResize(80, -1)).toThrow(RangeError);
  });
});

describe("exit status on the error channel (v4/v5 metav1.Status)", () => {
  it("exit code 3 from the NonZeroExitCode Status the kubelet writes", () => {
    const written =
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit status 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}';
    const parsed = parseExitStatus(written);
    expect(parsed).toMatchObject({ exitCode: 3, status: { reason: "NonZeroExitCode" } });
  });
  it("Success is exit code 0", () => {
    expect(parseExitStatus('{"metadata":{},"status":"Success"}')).toMatchObject({ exitCode: 0 });
  });
  it("another Failure is handed back as a failure Status, not an exit code", () => {
    const parsed = parseExitStatus('{"metadata":{},"status":"Failure","reason":"InternalError","code":500,"message":"container not found (\\"app\\")"}');
    expect(parsed).toEqual({ failure: expect.objectContaining({ kind: "Status", reason: "InternalError", code: 500 }) });
  });
  it("text that is not a Status, or a NonZeroExitCode without its cause, is a protocol error", () => {
    expect(() => parseExitStatus("error: something")).toThrow(StreamProtocolError);
    expect(() => parseExitStatus('{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[]}}')).toThrow(/ExitCode cause/);
  });
});

describe("port-forward channels (kubelet websocket.go)", () => {
  it("port i uses data channel 2i and error channel 2i+1", () => {
    expect(portForwardChannels(0)).toEqual({ data: 0, error: 1 });
    expect(portForwardChannels(1)).toEqual({ data: 2, error: 3 });
  });
  it("each channel opens with the port as uint16 little-endian", () => {
    expect(decodePortPrefix(Uint8Array.of(0x90, 0x1f)).port).toBe(8080);
    const { port, rest } = decodePortPrefix(Uint8Array.of(0x82, 0x23, 0x68, 0x69));
    expect(port).toBe(9090);
    expect(Buffer.from(rest).toString()).toBe("hi");
    expect(() => decodePortPrefix(Uint8Array.of(0x90))).toThrow(StreamProtocolError);
  });
});
