/**
 * Pod logs, exec, attach and port-forward (`kubetyped/runtime/streams`): the options, sessions and errors of
 * `kube.resource(pods).log/exec/attach/portforward` (WebSocket channel protocol v5/v4), named when code passes
 * them around; calling the methods needs nothing from here.
 * @packageDocumentation
 */

/** Options and sessions of the streaming subresources. */
export type {
  ExecOptions,
  AttachOptions,
  ExecSession,
  CollectedExec,
  CollectExecOptions,
  ExitStatus,
  PodLogOptions,
  PortForwardOptions,
  PortForwardSession,
  PortForwardListenOptions,
  PortForwardListener,
} from "../stream/index.js";
/** What a stream fails with: a broken protocol, a closed stream, a port-forward the pod refused. */
export { StreamProtocolError, StreamClosedError, PortForwardError } from "../stream/index.js";
/** The method types a client has for them (`log`, `exec`, `attach`, `portforward`). */
export type { LogClient, ExecMethods, AttachMethod, PortForwardMethod, StreamingMethods, ExecCommandOption } from "../client/index.js";
