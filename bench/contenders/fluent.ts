// kubernetes-fluent-client (Pepr's client): K8s(kind.Pod) chains. It reads KUBECONFIG itself, on every call.
import type { ContenderFactory, RunningWatch } from "./types.js";

export const createFluent: ContenderFactory = async ({ kubeconfigPath }) => {
  // The client has no way to pass a kubeconfig: it calls loadFromDefault() per request.
  process.env.KUBECONFIG = kubeconfigPath;
  const { K8s, kind } = await import("kubernetes-fluent-client");
  const pods = (namespace: string) => K8s(kind.Pod).InNamespace(namespace);
  return {
    getPod: (namespace, name) => pods(namespace).Get(name),
    listPods: async (namespace) => (await pods(namespace).Get()).items.length,
    createPod: (namespace, pod) => K8s(kind.Pod).Create({ ...pod, metadata: { ...pod.metadata, namespace } } as never),
    applyPod: (namespace, pod) => K8s(kind.Pod).Apply({ ...pod, metadata: { ...pod.metadata, namespace } } as never, { force: true }),
    async watchPods(namespace, onEvent): Promise<RunningWatch> {
      const watcher = pods(namespace).Watch((_pod, phase) => onEvent(String(phase)));
      // It lists first, then connects the watch; a burst sent before the connect could fall out of the
      // server's watch cache window, so wait for the connection as the other clients' watch() does.
      const connected = new Promise<void>((resolve) => watcher.events.once("connect", () => resolve()));
      await watcher.start();
      await connected;
      return { stop: async () => watcher.close() };
    },
    // No page-size API: Get() answers the whole collection at once, so "with pagination" does not apply.
    async informPods(namespace) {
      // Its Watcher lists, then watches, but keeps no objects: the store is the caller's, as here.
      const store = new Map<string, unknown>();
      let resolveSynced!: () => void;
      const synced = new Promise<void>((resolve) => (resolveSynced = resolve));
      const watcher = pods(namespace).Watch((pod, phase) => {
        if (String(phase) === "DELETED") store.delete(pod.metadata!.name!);
        else store.set(pod.metadata!.name!, pod);
      });
      watcher.events.on("list", () => resolveSynced());
      await watcher.start();
      await synced;
      return { size: () => store.size, stop: async () => watcher.close() };
    },
    close: async () => {},
  };
};
