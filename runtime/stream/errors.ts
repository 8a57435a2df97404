/** The other side broke the channel protocol (bad message, unexpected subprotocol, unreadable status). */
export class StreamProtocolError extends Error {
  override readonly name = "StreamProtocolError";
}

/** A WebSocket session (exec, attach, port-forward) ended before it was complete; `closeCode` is the WebSocket one. */
export class StreamClosedError extends Error {
  override readonly name = "StreamClosedError";
  readonly url: string;
  readonly closeCode: number;
  constructor(message: string, options: { url: string; closeCode: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.url = options.url;
    this.closeCode = options.closeCode;
  }
}

/** The pod answered on a port-forward error channel (e.g. nothing listens on that port in the pod). */
export class PortForwardError extends Error {
  override readonly name = "PortForwardError";
  readonly port: number;
  constructor(port: number, message: string) {
    super(`port-forward to pod port ${port} failed: ${message}`);
    this.port = port;
  }
}
