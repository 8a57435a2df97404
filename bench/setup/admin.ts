// Seeding and cleanup with a plain undici client, so no contender's code prepares the data it is measured on.
import { Agent, request } from "undici";
import { readCurrentContext } from "../contenders/undici.js";
import { BENCH_LABEL, podManifest } from "../fixtures.js";

export interface AdminClient {
  send(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function adminClient(kubeconfigPath: string): Promise<AdminClient> {
  const { server, ca, cert, key, token } = await readCurrentContext(kubeconfigPath);
  const dispatcher = new Agent({ connect: { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) }, connections: 32 });
  return {
    async send(method, path, body) {
      const response = await request(`${server}${path}`, {
        method: method as "GET",
        dispatcher,
        headers: { accept: "application/json", "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.body.text();
      return { status: response.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    close: () => dispatcher.close(),
  };
}

/** Creates the namespace and `count` pods named pod-00000…; existing ones are kept (409 is fine). */
export async function seedPods(admin: AdminClient, namespace: string, names: string[], concurrency = 24): Promise<void> {
  const ns = await admin.send("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
  if (ns.status >= 300 && ns.status !== 409) throw new Error(`create namespace ${namespace}: ${ns.status} ${JSON.stringify(ns.json).slice(0, 200)}`);
  let next = 0;
  const lane = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      const created = await admin.send("POST", `/api/v1/namespaces/${namespace}/pods`, podManifest(name));
      if (created.status >= 300 && created.status !== 409) throw new Error(`create pod ${namespace}/${name}: ${created.status} ${JSON.stringify(created.json).slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/** Removes every pod the bench created in `namespace` (a namespace itself would never finish terminating without a controller manager). */
export async function deleteBenchPods(admin: AdminClient, namespace: string): Promise<void> {
  const answer = await admin.send("DELETE", `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(BENCH_LABEL)}&gracePeriodSeconds=0`);
  if (answer.status >= 300 && answer.status !== 404) throw new Error(`delete pods in ${namespace}: ${answer.status}`);
}

export const podNames = (count: number) => Array.from({ length: count }, (_, i) => `pod-${String(i).padStart(5, "0")}`);
