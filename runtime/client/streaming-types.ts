// The types of the streaming methods a descriptor's subresources call for (log, exec, attach, portforward).
import type { ResourceDescriptor, SubresourceDescriptor } from "../api/descriptor.js";
import type { NamespaceOption } from "./scope-types.js";
import type { AttachOptions, CollectedExec, CollectExecOptions, ExecOptions, ExecSession } from "../stream/exec.js";
import type { PodLogOptions } from "../stream/logs.js";
import type { PortForwardListener, PortForwardListenOptions, PortForwardOptions, PortForwardSession } from "../stream/port-forward.js";

/** `pods/log`: the whole log as text, or its lines as they arrive. */
export interface LogClient<R> {
  get(name: string, options?: PodLogOptions & NamespaceOption<R>): Promise<string>;
  /** Lines without their newline; `follow` defaults to true. Stop with `signal` or by breaking the loop. */
  stream(name: string, options?: PodLogOptions & NamespaceOption<R>): AsyncIterable<string>;
}

/** `exec` and `execAndCollect`, present on resources whose descriptor lists the `exec` subresource. */
export interface ExecMethods<R> {
  /** Runs `command` in the pod over WebSocket (v5, else v4 channel protocol). */
  exec(name: string, options: ExecOptions & NamespaceOption<R>): Promise<ExecSession>;
  /** Runs `command` to its end and returns its output as text with the exit code. */
  execAndCollect(name: string, options: CollectExecOptions & NamespaceOption<R>): Promise<CollectedExec>;
}

/** `attach`, present on resources whose descriptor lists the `attach` subresource. */
export interface AttachMethod<R> {
  /** Attaches to the container's main process (its stdin needs `stdin: true` in the pod spec). */
  attach(name: string, options?: AttachOptions & NamespaceOption<R>): Promise<ExecSession>;
}

/** `portforward(name, { ports })` opens one session; `portforward.listen` serves a local TCP port. */
export interface PortForwardMethod<R> {
  portforward: {
    (name: string, options: PortForwardOptions & NamespaceOption<R>): Promise<PortForwardSession>;
    listen(name: string, options: PortForwardListenOptions & NamespaceOption<R>): Promise<PortForwardListener>;
  };
}

type HasSubresource<R extends ResourceDescriptor, K extends string> = R["subresources"] extends { readonly [P in K]: SubresourceDescriptor } ? true : false;

/** The streaming methods a descriptor's subresources call for: `log`, `exec`/`execAndCollect`, `attach`, `portforward`. */
export type StreamingMethods<R extends ResourceDescriptor> = (HasSubresource<R, "log"> extends true ? { readonly log: LogClient<R> } : {}) &
  (HasSubresource<R, "exec"> extends true ? ExecMethods<R> : {}) &
  (HasSubresource<R, "attach"> extends true ? AttachMethod<R> : {}) &
  (HasSubresource<R, "portforward"> extends true ? PortForwardMethod<R> : {});
