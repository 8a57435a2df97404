// @kubernetes/client-node 0.x (0.22, still widely installed): positional parameters, { response, body } answers.
import { CoreV1Api, KubeConfig, makeInformer, PatchUtils, Watch, type V1Pod } from "client-node-0";
import type { ContenderFactory, RunningWatch } from "./types.js";

export const createClientNode0: ContenderFactory = async ({ kubeconfigPath }) => {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const api = config.makeApiClient(CoreV1Api);
  const applyHeaders = { headers: { "Content-Type": PatchUtils.PATCH_FORMAT_APPLY_YAML } };
  return {
    getPod: async (namespace, name) => (await api.readNamespacedPod(name, namespace)).body,
    listPods: async (namespace) => (await api.listNamespacedPod(namespace)).body.items.length,
    createPod: async (namespace, pod) => (await api.createNamespacedPod(namespace, pod as unknown as V1Pod)).body,
    applyPod: async (namespace, pod) =>
      (await api.patchNamespacedPod(pod.metadata.name, namespace, pod, undefined, undefined, "kubetyped-bench", undefined, true, applyHeaders)).body,
    async watchPods(namespace, onEvent): Promise<RunningWatch> {
      let failure: unknown;
      const request = (await new Watch(config).watch(`/api/v1/namespaces/${namespace}/pods`, {}, (type) => onEvent(type), (error) => (failure ??= error))) as {
        abort(): void;
      };
      return {
        stop: async () => {
          request.abort();
          if (failure && !String(failure).includes("abort")) throw failure;
        },
      };
    },
    async listAllPaginated(namespace, pageSize) {
      let count = 0;
      let token: string | undefined;
      do {
        const page = (await api.listNamespacedPod(namespace, undefined, undefined, token, undefined, undefined, pageSize)).body;
        count += page.items.length;
        token = page.metadata?._continue;
      } while (token);
      return count;
    },
    async informPods(namespace) {
      const informer = makeInformer(config, `/api/v1/namespaces/${namespace}/pods`, () => api.listNamespacedPod(namespace));
      // start() resolves once the list is in the cache and the watch is connected.
      await informer.start();
      return { size: () => informer.list(namespace).length, stop: () => informer.stop() };
    },
    close: async () => {},
  };
};
