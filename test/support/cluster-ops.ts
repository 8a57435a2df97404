import { request } from "node:http";
import { clientFromConnection, type KubeClient } from "../../runtime/index.js";
import { defineResource, loadKubeconfig } from "../../runtime/entries/plumbing.js";
import type { LocalClusterInfo } from "./cluster.js";
import type { TcpRelay } from "./tcp-relay.js";

const namespaces = defineResource<{ metadata?: { name?: string } }>()({
  group: "",
  version: "v1",
  plural: "namespaces",
  kind: "Namespace",
  namespaced: false,
  verbs: ["create"],
});

/** Leases as the leader-election tests read them: who holds one, and how often it changed hands. */
export const leases = defineResource<{ spec?: { holderIdentity?: string; leaseTransitions?: number } }>()({
  group: "coordination.k8s.io",
  version: "v1",
  plural: "leases",
  kind: "Lease",
  namespaced: true,
  verbs: ["get"],
});

/** A namespaced CRD with one served version `v1` of this schema, for tests that make and remove their own API. */
export function namespacedCrd(group: string, names: { plural: string; kind: string }, openAPIV3Schema: object) {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${names.plural}.${group}` },
    spec: { group, scope: "Namespaced", names, versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema } }] },
  };
}

/** Creates a namespace for one test (the local cluster has no namespace controller, so none is deleted). */
export async function createNamespace(kube: KubeClient, name: string): Promise<void> {
  await kube.resource(namespaces).create({ metadata: { name } });
}

/**
 * Waits until no CRD is being deleted and discovery (`/apis`) and `/openapi/v2` answer the same bytes twice,
 * `quietMs` apart: whatever CRD change an earlier test made is published completely (v1.20 re-merges
 * /openapi/v2 in steps, and publishes a CRD deleted before its schema was until the CRD is gone). Tests that
 * compare two generations from the live server start from here, so the server does not change under them.
 */
export async function waitForSettledApi(cluster: LocalClusterInfo, { quietMs = 1_500, timeoutMs = 60_000 } = {}): Promise<void> {
  const { direct: kube, close } = await clients(cluster, undefined, "default");
  const read = async () => {
    const [crds, ...answers] = await Promise.all(
      ["/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "/apis", "/openapi/v2"].map((path) => kube.requestText({ method: "GET", path })),
    );
    const deleting = (JSON.parse(crds!) as { items: Array<{ metadata: { name: string; deletionTimestamp?: string } }> }).items
      .filter((crd) => crd.metadata.deletionTimestamp !== undefined)
      .map((crd) => crd.metadata.name);
    return { deleting, published: answers.join("\n") };
  };
  try {
    const deadline = Date.now() + timeoutMs;
    for (let last = await read(); ; ) {
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      const next = await read();
      if (next.deleting.length === 0 && next.published === last.published) return;
      if (Date.now() > deadline) {
        throw new Error(`the API server still ${next.deleting.length > 0 ? `deletes CRDs ${next.deleting.join(", ")}` : "changed /apis or /openapi/v2"} ${timeoutMs} ms later`);
      }
      last = next;
    }
  } finally {
    await close();
  }
}

/** Runs `task(0..count-1)` with at most `concurrency` at a time; the first failure rejects (after the rest settle). */
export async function runBounded(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < count && !failure) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failure) throw failure.error;
}

/** etcd's current revision, from the header of a range request through its HTTP/JSON gateway. */
export async function etcdRevision(etcdEndpoint: string): Promise<string> {
  const answer = (await postJson(`${etcdEndpoint}/v3/kv/range`, { key: Buffer.from("/").toString("base64"), limit: 1 })) as { header?: { revision?: string } };
  if (!answer.header?.revision) throw new Error(`POST ${etcdEndpoint}/v3/kv/range: no header.revision in ${JSON.stringify(answer)}`);
  return answer.header.revision;
}

/** Compacts etcd up to its current revision (physically), so every older resourceVersion expires. Answers the revision. */
export async function compactEtcd(etcdEndpoint: string): Promise<string> {
  const revision = await etcdRevision(etcdEndpoint);
  await postJson(`${etcdEndpoint}/v3/kv/compaction`, { revision, physical: true });
  return revision;
}

/** One POST without keep-alive (no pooled socket outlives it, which the leak checks would flag). */
function postJson(url: string, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: "POST", agent: false, headers: { "content-type": "application/json", connection: "close" } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        if ((response.statusCode ?? 0) >= 300) return reject(new Error(`POST ${url}: ${response.statusCode} ${text}`));
        try {
          resolve(JSON.parse(text));
        } catch (error) {
          reject(new Error(`POST ${url}: the answer is not JSON (${(error as Error).message}): ${text.slice(0, 200)}`));
        }
      });
    });
    outgoing.on("error", reject);
    outgoing.end(JSON.stringify(body));
  });
}

/** One client straight to the API server and one through a relay the test can cut. */
export async function clients(cluster: LocalClusterInfo, relay: TcpRelay | undefined, namespace: string): Promise<{ direct: KubeClient; relayed: KubeClient; close(): Promise<void> }> {
  const connection = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath });
  const direct = clientFromConnection(connection, { namespace });
  const relayed = relay ? clientFromConnection({ ...connection, server: `https://127.0.0.1:${relay.port}` }, { namespace }) : direct;
  return { direct, relayed, close: async () => void (await Promise.all([direct.close(), relayed.close()])) };
}
