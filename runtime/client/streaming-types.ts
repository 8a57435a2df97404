// The types of the streaming methods a descriptor's subresources call for (log, exec, attach, portforward).
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

/**
 * `command` as exec takes it: a list of strings, not run through a shell. A single string meets the union
 * member whose property name is the fix.
 */
export interface ExecCommandOption {
  /** The command and its arguments, not run through a shell: `["sh", "-c", "echo hi"]`. */
  command: readonly string[] | { "give a list of strings, e.g. ['sh', '-c', 'ls -l']": never };
}

/** `exec` and `execAndCollect`, present on resources whose descriptor lists the `exec` subresource. */
export interface ExecMethods<R> {
  /** Runs `command` in the pod over WebSocket (v5, else v4 channel protocol). */
  exec(name: string, options: Omit<ExecOptions, "command"> & ExecCommandOption & NamespaceOption<R>): Promise<ExecSession>;
  /** Runs `command` to its end and returns its output as text with the exit code. */
  execAndCollect(name: string, options: Omit<CollectExecOptions, "command"> & ExecCommandOption & NamespaceOption<R>): Promise<CollectedExec>;
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

/**
 * Subresources that speak streaming protocols (SPDY/WebSocket upgrades, proxied HTTP, plain-text logs) rather
 * than JSON objects; the JSON client leaves them out. `log`, `exec`, `attach` and `portforward` get methods of their
 * own (`StreamingMethods`, runtime/stream); reach `proxy` with `kube.requestStream`/`requestText`.
 */
export type StreamingSubresource = "exec" | "attach" | "portforward" | "proxy" | "log";

/** The streaming methods subresources `Subs` (a map keyed by subresource name) call for: `log`, `exec`/`execAndCollect`, `attach`, `portforward`. */
export type StreamingMethods<Subs, S> = ("log" extends keyof Subs ? { readonly log: LogClient<S> } : {}) &
  ("exec" extends keyof Subs ? ExecMethods<S> : {}) &
  ("attach" extends keyof Subs ? AttachMethod<S> : {}) &
  ("portforward" extends keyof Subs ? PortForwardMethod<S> : {});
