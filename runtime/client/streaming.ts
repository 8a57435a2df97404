// The methods of streaming subresources (log, exec, attach, portforward) on a resource client, over runtime/stream.
import type { ResourceDescriptor } from "../api/descriptor.js";
import type { RestClient } from "../rest/types.js";
import { collectExec, openExecSession, type AttachOptions, type ExecOptions } from "../stream/exec.js";
import { getLogs, streamLogLines, type PodLogOptions } from "../stream/logs.js";
import { listenPortForward, openPortForward, type PortForwardListenOptions, type PortForwardOptions } from "../stream/port-forward.js";
import type { CollectExecOptions } from "../stream/exec.js";

/** The path of subresource `subresource` of object `name`, in the namespace the options (or client) pick. */
export type SubresourcePath = (name: string, subresource: string, options: { namespace?: string } | undefined) => string;

/** Without the namespace, which the path already carries. */
function withoutNamespace<T extends { namespace?: string }>(options: T | undefined): Omit<T, "namespace"> {
  const { namespace: _namespace, ...others } = options ?? ({} as T);
  return others;
}

/**
 * The run-time half of `StreamingMethods<R>`: methods for the streaming subresources the descriptor lists.
 * Like the JSON verbs, methods answering a promise reject it for bad arguments; `log.stream` throws at the call.
 */
export function createStreamingMethods(rest: RestClient, descriptor: ResourceDescriptor, pathOf: SubresourcePath): Record<string, unknown> {
  const has = (name: string) => Object.hasOwn(descriptor.subresources ?? {}, name);
  const methods: Record<string, unknown> = {};
  if (has("log")) {
    methods.log = Object.freeze({
      get: async (name: string, options?: PodLogOptions & { namespace?: string }) => getLogs(rest, pathOf(name, "log", options), withoutNamespace(options)),
      stream: (name: string, options?: PodLogOptions & { namespace?: string }) => streamLogLines(rest, pathOf(name, "log", options), withoutNamespace(options)),
    });
  }
  if (has("exec")) {
    methods.exec = async (name: string, options: ExecOptions & { namespace?: string }) => openExecSession(rest, pathOf(name, "exec", options), withoutNamespace(options));
    methods.execAndCollect = async (name: string, options: CollectExecOptions & { namespace?: string }) =>
      collectExec(await openExecSession(rest, pathOf(name, "exec", options), withoutNamespace(options)));
  }
  if (has("attach")) {
    methods.attach = async (name: string, options?: AttachOptions & { namespace?: string }) => openExecSession(rest, pathOf(name, "attach", options), withoutNamespace(options));
  }
  if (has("portforward")) {
    const portforward = async (name: string, options: PortForwardOptions & { namespace?: string }) => openPortForward(rest, pathOf(name, "portforward", options), withoutNamespace(options));
    portforward.listen = async (name: string, options: PortForwardListenOptions & { namespace?: string }) =>
      listenPortForward(rest, pathOf(name, "portforward", options), withoutNamespace(options));
    methods.portforward = Object.freeze(portforward);
  }
  return methods;
}
