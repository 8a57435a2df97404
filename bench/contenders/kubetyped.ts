// kubetyped: the runtime plus the core/v1 module generated from the local cluster, as a user writes it.
import { clientFromConnection, type WithName } from "kubetyped/runtime";
import { createInformer, dropManagedFields, type Informer } from "kubetyped/runtime/controller";
import { loadKubeconfig, type TypedResource } from "kubetyped/runtime/plumbing";
import type { ContenderFactory, RunningWatch } from "./types.js";

interface Pod {
  apiVersion?: "v1";
  kind?: "Pod";
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [field: string]: unknown };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}
/** The shape of the generated `pods` descriptor; the module itself is compiled in .tmp and loaded at run time. */
type PodsDescriptor = TypedResource<
  Pod,
  {},
  {
    readonly group: "";
    readonly version: "v1";
    readonly plural: "pods";
    readonly kind: "Pod";
    readonly namespaced: true;
    readonly verbs: readonly ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
  }
>;

export const createKubetyped: ContenderFactory = async ({ kubeconfigPath, generatedCoreV1 }) => {
  const { pods } = (await import(generatedCoreV1)) as { pods: PodsDescriptor };
  const kube = clientFromConnection(await loadKubeconfig({ kubeconfig: kubeconfigPath }));
  const client = kube.resource(pods);
  return {
    getPod: (namespace, name) => client.get(name, { namespace }),
    listPods: async (namespace) => (await client.list({ namespace })).items.length,
    createPod: (namespace, pod) => client.create(pod as WithName<Pod>, { namespace }),
    applyPod: (namespace, pod) => client.apply(pod as WithName<Pod>, { namespace, fieldManager: "kubetyped-bench", force: true }),
    async watchPods(namespace, onEvent): Promise<RunningWatch> {
      const controller = new AbortController();
      const done = (async () => {
        for await (const event of client.watch({ namespace, resume: false, signal: controller.signal })) onEvent(event.type);
      })().catch((error: unknown) => {
        if (!controller.signal.aborted) throw error;
      });
      return {
        stop: async () => {
          controller.abort();
          await done;
        },
      };
    },
    listAllPaginated: (namespace, pageSize) => countItems(client.listAll({ namespace, limit: pageSize })),
    listAllMetadataPaginated: (namespace, pageSize) => countItems(kube.metadata(pods).listAll({ namespace, limit: pageSize })),
    informPods: (namespace) => held(createInformer(client, { namespace })),
    informPodsTransformed: (namespace) => held(createInformer(client, { namespace, transform: dropManagedFields })),
    informPodMetadata: (namespace) => held(createInformer(kube.metadata(pods), { namespace })),
    informPodMetadataLean: (namespace) => held(createInformer(kube.metadata(pods), { namespace, transform: dropManagedFields })),
    close: () => kube.close(),
  };
};

/** Walks the items, keeping none. */
async function countItems(items: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _item of items) count++;
  return count;
}

/** An informer once it has listed, as the memory workers hold it. */
async function held(informer: Informer<unknown>) {
  await informer.synced;
  return { size: () => informer.list().length, stop: () => informer.stop() };
}
