import type { Status } from "../api/objects.js";
import { StreamProtocolError } from "./errors.js";

/**
 * The Kubernetes channel protocol over WebSocket (apimachinery `wsstream`, `remotecommand`): every binary
 * message starts with one byte naming the channel, the rest is that channel's data. Pure: no IO here.
 */

/** v5 adds a close signal per channel (half-close, e.g. end of stdin); preferred. */
export const CHANNEL_PROTOCOL_V5 = "v5.channel.k8s.io";
/** v4 reports the exit code as a `Status` on the error channel; no half-close. */
export const CHANNEL_PROTOCOL_V4 = "v4.channel.k8s.io";
/** Offered for exec and attach, most preferred first. */
export const EXEC_PROTOCOLS: readonly string[] = [CHANNEL_PROTOCOL_V5, CHANNEL_PROTOCOL_V4];
/** The kubelet's WebSocket port-forward speaks v4 binary channels only. */
export const PORT_FORWARD_PROTOCOLS: readonly string[] = [CHANNEL_PROTOCOL_V4];

/** Channel numbers of exec/attach: the POSIX file descriptors, then error and resize. */
export const ExecChannel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;
/** v5's control channel: `[255, n]` says channel `n` is closed by the sender. */
export const CLOSE_CHANNEL = 255;

/** One decoded message: the channel and its data (a view into the message, not a copy). */
export interface ChannelMessage {
  channel: number;
  data: Uint8Array;
}

/** `[channel, ...data]`. */
export function encodeChannelMessage(channel: number, data: Uint8Array | string): Uint8Array {
  if (!Number.isInteger(channel) || channel < 0 || channel > 255) throw new RangeError(`channel ${channel} is not a byte (0-255)`);
  const payload = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const message = new Uint8Array(payload.length + 1);
  message[0] = channel;
  message.set(payload, 1);
  return message;
}

/** Splits a binary message into channel and data; an empty message carries nothing and is rejected. */
export function decodeChannelMessage(message: Uint8Array): ChannelMessage {
  if (message.length === 0) throw new StreamProtocolError("received an empty WebSocket message; every channel message starts with its channel byte");
  return { channel: message[0]!, data: message.subarray(1) };
}

/** v5 close signal for `channel`: `[255, channel]`. */
export function encodeCloseSignal(channel: number): Uint8Array {
  return encodeChannelMessage(CLOSE_CHANNEL, Uint8Array.of(channel));
}

/** The channel a v5 close signal closes, or undefined when the message is not one. */
export function closedChannelOf(message: ChannelMessage): number | undefined {
  if (message.channel !== CLOSE_CHANNEL) return undefined;
  if (message.data.length !== 1) throw new StreamProtocolError(`a close signal carries exactly one channel byte, got ${message.data.length}`);
  return message.data[0];
}

/** Terminal size as remotecommand's `TerminalSize` marshals it (Go field names, no JSON tags; uint16 values). */
export function terminalSizeJson(width: number, height: number): string {
  for (const [name, value] of [["width", width], ["height", height]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`terminal ${name} ${value} is not an integer between 0 and 65535`);
  }
  return JSON.stringify({ Width: width, Height: height });
}

/** The whole resize message: channel 4, then the terminal size. */
export function encodeResize(width: number, height: number): Uint8Array {
  return encodeChannelMessage(ExecChannel.resize, terminalSizeJson(width, height));
}

/** How a command ended, read from the error channel. */
export interface ExitStatus {
  /** 0 on success, the process's code for `NonZeroExitCode`. */
  exitCode: number;
  /** The `Status` the server sent; absent when the stream closed cleanly without one. */
  status?: Status;
}

/**
 * Reads the error channel's `Status` (v4/v5): `Success` is exit code 0; `Failure` with reason
 * `NonZeroExitCode` carries the code in the `ExitCode` cause. Any other failure is returned as `failure`
 * (the container is gone, the command does not exist) for the caller to turn into an error.
 */
export function parseExitStatus(text: string): ExitStatus | { failure: Status } {
  let status: Status;
  try {
    status = JSON.parse(text) as Status;
  } catch {
    throw new StreamProtocolError(`the error channel carried text that is not a Status: ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (status === null || typeof status !== "object") throw new StreamProtocolError(`the error channel carried ${JSON.stringify(text.slice(0, 200))}, not a Status object`);
  if (status.status === "Success") return { exitCode: 0, status };
  if (status.status === "Failure" && status.reason === "NonZeroExitCode") {
    const cause = status.details?.causes?.find((item) => item.reason === "ExitCode");
    const exitCode = Number(cause?.message);
    if (!cause || !Number.isInteger(exitCode)) {
      throw new StreamProtocolError(`a NonZeroExitCode Status has no integer ExitCode cause: ${JSON.stringify(status.details ?? null)}`);
    }
    return { exitCode, status };
  }
  return { failure: { kind: "Status", apiVersion: "v1", ...status } };
}

/** Port-forward: the server's first message on each channel of a port is the port, little-endian uint16. */
export function decodePortPrefix(data: Uint8Array): { port: number; rest: Uint8Array } {
  if (data.length < 2) throw new StreamProtocolError(`a port-forward channel's first message holds a 2-byte port, got ${data.length} byte(s)`);
  return { port: data[0]! | (data[1]! << 8), rest: data.subarray(2) };
}

/** Port-forward channels: the data channel of the i-th port is 2i, its error channel 2i+1. */
export function portForwardChannels(index: number): { data: number; error: number } {
  return { data: index * 2, error: index * 2 + 1 };
}
