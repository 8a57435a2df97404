// Port-forward as 1.31+ serves it (PortForwardWebsockets): SPDY/3.1 portforward.k8s.io inside WebSocket binary messages.
import { PortForwardError } from "./errors.js";
import { SpdySession, type SpdyStream } from "./spdy-session.js";
import type { SessionEnd, WebSocketSession } from "./websocket-session.js";

/** The subprotocol kube-apiserver answers when it tunnels SPDY to the kubelet (client-go's `SPDY/3.1+` prefix). */
export const PORT_FORWARD_TUNNEL_PROTOCOL = "SPDY/3.1+portforward.k8s.io";

/** One forwarded port as both protocols see it: the caller's duplex and what the pod reported. */
export interface ForwardedPort {
  port: number;
  /** Delivers bytes from the pod, ends (null) or fails the caller's stream. */
  deliver(bytes: Buffer | null): void;
  fail(error: Error): void;
  /** Text from the port's error stream/channel. */
  errorText: string;
  /** Set by the protocol: how the caller's writes and end reach the pod. */
  write?: (chunk: Uint8Array) => Promise<void>;
  end?: () => Promise<void>;
}

/** The protocol chosen for one session: feeds it the socket's messages and its end. */
export interface ForwardProtocol {
  receive(bytes: Uint8Array): void;
  ended(end: SessionEnd): void;
  /** Resolves when every port's streams are ready for writing. */
  readonly ready: Promise<void>;
}

/**
 * Per port an error stream and a data stream, paired by `requestid` (client-go's layout). The error stream we
 * half-close at once; text on it fails the port with `PortForwardError`. The session closes itself once every
 * port's data has ended from the pod's side, as the v4 WebSocket does when the kubelet closes it.
 */
export function tunnelProtocol(socket: WebSocketSession, ports: readonly ForwardedPort[]): ForwardProtocol {
  const spdy = new SpdySession({ send: (bytes) => socket.send(bytes, "a SPDY frame") }, (error) => socket.fail(error));
  let open = ports.length;
  const portDone = () => {
    open -= 1;
    if (open === 0) socket.close();
  };
  const ready = Promise.all(ports.map((port, index) => openPortStreams(spdy, port, String(index), portDone))).then(() => undefined);
  ready.catch(() => socket.close());
  return {
    receive: (bytes) => spdy.receive(bytes),
    ended: (end) => {
      spdy.end(end.error);
      for (const port of ports) {
        if (port.errorText !== "") port.fail(new PortForwardError(port.port, port.errorText));
        else if (end.error) port.fail(end.error);
        else port.deliver(null);
      }
    },
    ready,
  };
}

async function openPortStreams(spdy: SpdySession, port: ForwardedPort, requestId: string, done: () => void): Promise<void> {
  const headers = (streamType: string) => [["streamtype", streamType], ["port", String(port.port)], ["requestid", requestId]] as const;
  let finished = false;
  const finish = (error?: Error) => {
    if (finished) return;
    finished = true;
    if (port.errorText !== "") port.fail(new PortForwardError(port.port, port.errorText));
    else if (error) port.fail(error);
    else port.deliver(null);
    done();
  };
  const errorStream = await spdy.openStream(headers("error"), {
    data: (bytes) => (port.errorText += new TextDecoder().decode(bytes)),
    remoteEnded: () => {
      if (port.errorText !== "") finish();
    },
    ended: () => {},
  });
  void errorStream.end().catch(() => {});
  const dataStream: SpdyStream = await spdy.openStream(headers("data"), {
    data: (bytes) => port.deliver(Buffer.from(bytes)),
    remoteEnded: () => finish(),
    ended: (error) => finish(error),
  });
  port.write = (chunk) => dataStream.write(chunk);
  port.end = () => dataStream.end();
}
