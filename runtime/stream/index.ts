export {
  CHANNEL_PROTOCOL_V4,
  CHANNEL_PROTOCOL_V5,
  CLOSE_CHANNEL,
  EXEC_PROTOCOLS,
  PORT_FORWARD_PROTOCOLS,
  ExecChannel,
  closedChannelOf,
  decodeChannelMessage,
  decodePortPrefix,
  encodeChannelMessage,
  encodeCloseSignal,
  encodeResize,
  parseExitStatus,
  portForwardChannels,
  terminalSizeJson,
  type ChannelMessage,
  type ExitStatus,
} from "./channel-protocol.js";
export { openChannelSession, type ChannelHandlers, type ChannelSession, type OpenSessionOptions, type SessionEnd } from "./channel-session.js";
export { buildExecQuery, collectExec, openExecSession, type AttachOptions, type CollectedExec, type CollectExecOptions, type ExecOptions, type ExecSession } from "./exec.js";
export { buildLogQuery, getLogs, splitLines, streamLogLines, type PodLogOptions } from "./logs.js";
export {
  listenPortForward,
  openPortForward,
  type PortForwardListener,
  type PortForwardListenOptions,
  type PortForwardOptions,
  type PortForwardSession,
} from "./port-forward.js";
export { PORT_FORWARD_TUNNEL_PROTOCOL } from "./port-forward-tunnel.js";


export { PortForwardError, StreamClosedError, StreamProtocolError } from "./errors.js";
