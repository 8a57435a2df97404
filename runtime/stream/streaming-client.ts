import type { ResourceDescriptor } from "../client/descriptor.js";
import type { KubeClient } from "../client/kube-client.js";
import { collectExec, openExecSession, type AttachOptions, type ExecOptions } from "./exec.js";
import { getLogs, streamLogLines, type PodLogOptions } from "./logs.js";
import { listenPortForward, openPortForward, type PortForwardListenOptions, type PortForwardOptions } from "./port-forward.js";
import type { CollectExecOptions } from "./client-types.js";

/** The path of subresource `subresource` of object `name`, in the namespace the options (or client) pick. */
export type SubresourcePath = (name: string, subresource: string, options: { namespace?: string } | undefined) => string;

/** Without the namespace, which the path already carries. */
function rest<T extends { namespace?: string }>(options: T | undefined): Omit<T, "namespace"> {
  const { namespace: _namespace, ...others } = options ?? ({} as T);
  return others;
}

/**
 * The run-time half of `StreamingMethods<R>`: methods for the streaming subresources the descriptor lists.
 * Like the JSON verbs, methods answering a promise reject it for bad arguments; `log.stream` throws at the call.
 */
export function createStreamingMethods(kube: KubeClient, descriptor: ResourceDescriptor, pathOf: SubresourcePath): Record<string, unknown> {
  const has = (name: string) => Object.hasOwn(descriptor.subresources ?? {}, name);
  const methods: Record<string, unknown> = {};
  if (has("log")) {
    methods.log = Object.freeze({
      get: async (name: string, options?: PodLogOptions & { namespace?: string }) => getLogs(kube, pathOf(name, "log", options), rest(options)),
      stream: (name: string, options?: PodLogOptions & { namespace?: string }) => streamLogLines(kube, pathOf(name, "log", options), rest(options)),
    });
  }
  if (has("exec")) {
    methods.exec = async (name: string, options: ExecOptions & { namespace?: string }) => openExecSession(kube, pathOf(name, "exec", options), rest(options));
    methods.execAndCollect = async (name: string, options: CollectExecOptions & { namespace?: string }) =>
      collectExec(await openExecSession(kube, pathOf(name, "exec", options), rest(options)));
  }
  if (has("attach")) {
    methods.attach = async (name: string, options?: AttachOptions & { namespace?: string }) => openExecSession(kube, pathOf(name, "attach", options), rest(options));
  }
  if (has("portforward")) {
    const portforward = async (name: string, options: PortForwardOptions & { namespace?: string }) => openPortForward(kube, pathOf(name, "portforward", options), rest(options));
    portforward.listen = async (name: string, options: PortForwardListenOptions & { namespace?: string }) =>
      listenPortForward(kube, pathOf(name, "portforward", options), rest(options));
    methods.portforward = Object.freeze(portforward);
  }
  return methods;
}
