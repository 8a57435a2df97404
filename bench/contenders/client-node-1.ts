// @kubernetes/client-node 1.x (the current line): CoreV1Api with object parameters, Watch, makeInformer.
import { CoreV1Api, KubeConfig, makeInformer, PatchStrategy, setHeaderOptions, Watch, type V1Pod } from "@kubernetes/client-node";
import type { ContenderFactory, RunningWatch } from "./types.js";

export const createClientNode1: ContenderFactory = async ({ kubeconfigPath }) => {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const api = config.makeApiClient(CoreV1Api);
  return {
    getPod: (namespace, name) => api.readNamespacedPod({ name, namespace }),
    listPods: async (namespace) => (await api.listNamespacedPod({ namespace })).items.length,
    createPod: (namespace, pod) => api.createNamespacedPod({ namespace, body: pod as unknown as V1Pod }),
    applyPod: (namespace, pod) =>
      api.patchNamespacedPod(
        { name: pod.metadata.name, namespace, body: pod, fieldManager: "kubetyped-bench", force: true },
        setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
      ),
    async watchPods(namespace, onEvent): Promise<RunningWatch> {
      let failure: unknown;
      const controller = await new Watch(config).watch(`/api/v1/namespaces/${namespace}/pods`, {}, (type) => onEvent(type), (error) => (failure ??= error));
      return {
        stop: async () => {
          controller.abort();
          if (failure && !String(failure).includes("abort")) throw failure;
        },
      };
    },
    async listAllPaginated(namespace, pageSize) {
      let count = 0;
      let token: string | undefined;
      do {
        const page = await api.listNamespacedPod({ namespace, limit: pageSize, ...(token && { _continue: token }) });
        count += page.items.length;
        token = page.metadata?._continue;
      } while (token);
      return count;
    },
    async informPods(namespace) {
      const informer = makeInformer(config, `/api/v1/namespaces/${namespace}/pods`, () => api.listNamespacedPod({ namespace }));
      // start() resolves once the list is in the cache and the watch is connected.
      await informer.start();
      return { size: () => informer.list(namespace).length, stop: () => informer.stop() };
    },
    close: async () => {},
  };
};
