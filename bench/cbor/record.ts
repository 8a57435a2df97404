// The CBOR section's data: a ConfigMap and a custom-resource collection on a server started with
// CBORServingAndStorage, and their answers recorded chunk by chunk as they came, once in each format.
import { Agent, request } from "undici";
import { readCurrentContext } from "../contenders/undici.js";
import type { AdminClient } from "../setup/admin.js";

export const CBOR_NAMESPACE = "bench-cbor";
export const WIDGETS = { group: "bench.kubetyped.dev", version: "v1", plural: "widgets", kind: "Widget" } as const;
export const COLLECTIONS = {
  ConfigMap: `/api/v1/namespaces/${CBOR_NAMESPACE}/configmaps`,
  Widget: `/apis/${WIDGETS.group}/${WIDGETS.version}/namespaces/${CBOR_NAMESPACE}/${WIDGETS.plural}`,
} as const;
export type CollectionKind = keyof typeof COLLECTIONS;
export type WireFormat = "json" | "cbor";
export const MEDIA_TYPES: Record<WireFormat, string> = { json: "application/json", cbor: "application/cbor" };

/** One answer as it arrived. */
export interface Recording {
  chunks: Buffer[];
  bytes: number;
  /** From sending the request to its last byte. */
  ms: number;
}

/** The widget CRD: a schema that keeps whatever spec it is given (numbers of every kind included). */
function widgetCrd() {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${WIDGETS.plural}.${WIDGETS.group}` },
    spec: {
      group: WIDGETS.group,
      scope: "Namespaced",
      names: { plural: WIDGETS.plural, singular: "widget", kind: WIDGETS.kind, listKind: `${WIDGETS.kind}List` },
      versions: [{ name: WIDGETS.version, served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } } } }],
    },
  };
}

const objectName = (index: number) => `object-${String(index).padStart(5, "0")}`;

/** Shaped like what controllers keep: labels, an annotation, a few data keys (one a small YAML file). */
export function configMapManifest(index: number) {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: objectName(index), labels: { app: "bench", index: String(index) }, annotations: { "bench.kubetyped.dev/note": "a ConfigMap of the CBOR bench" } },
    data: { "config.yaml": `replicas: ${index}\nimage: registry.example/app:1.${index % 7}\n`, mode: "fast", count: String(index) },
  };
}

/** A custom resource with integers, floats, booleans, lists and nesting in its spec. */
export function widgetManifest(index: number) {
  return {
    apiVersion: `${WIDGETS.group}/${WIDGETS.version}`,
    kind: WIDGETS.kind,
    metadata: { name: objectName(index), labels: { app: "bench" } },
    spec: { replicas: index, ratio: index / 7, enabled: index % 2 === 0, tags: ["a", "b", `t${index}`], nested: { size: index * 1000, name: `widget ${index}` } },
  };
}

/** Creates the namespace, the CRD and `count` objects of each collection (what exists already is kept). */
export async function seedCollections(admin: AdminClient, count: number, concurrency = 24): Promise<void> {
  await create(admin, "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: CBOR_NAMESPACE } });
  await create(admin, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", widgetCrd());
  await waitServed(admin, COLLECTIONS.Widget);
  for (const [path, manifest] of [[COLLECTIONS.ConfigMap, configMapManifest], [COLLECTIONS.Widget, widgetManifest]] as const) {
    let next = 0;
    const lane = async () => {
      while (next < count) await create(admin, path, manifest(next++));
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  }
}

async function create(admin: AdminClient, path: string, body: unknown): Promise<void> {
  const answer = await admin.send("POST", path, body);
  if (answer.status >= 300 && answer.status !== 409) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
}

/** A new CRD's collection answers 404 (in plain text) until the CRD is established. */
async function waitServed(admin: AdminClient, path: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const served = () => admin.send("GET", `${path}?limit=1`).then((answer) => answer.status === 200, () => false);
  while (!(await served())) {
    if (Date.now() > deadline) throw new Error(`${path} was not served within ${timeoutMs / 1000} s of creating its CRD`);
    await new Promise((wake) => setTimeout(wake, 200));
  }
}

/** Sends GETs to the cluster of `kubeconfigPath` and keeps each answer's chunks. */
export async function recorder(kubeconfigPath: string) {
  const { server, ca, cert, key, token } = await readCurrentContext(kubeconfigPath);
  const dispatcher = new Agent({ connect: { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) } });
  const authorization = token ? { authorization: `Bearer ${token}` } : {};
  /** The answer to GET `path` in `format`; with `until`, the answer is cut once those bytes have arrived (a watch). */
  const record = async (path: string, format: WireFormat, until?: string): Promise<Recording> => {
    const started = performance.now();
    const abort = new AbortController();
    const response = await request(`${server}${path}`, { dispatcher, signal: abort.signal, headers: { accept: MEDIA_TYPES[format], ...authorization } });
    const type = String(response.headers["content-type"]);
    if (response.statusCode !== 200 || !type.startsWith(MEDIA_TYPES[format])) {
      throw new Error(`GET ${path} as ${MEDIA_TYPES[format]}: ${response.statusCode} ${type} ${(await response.body.text()).slice(0, 200)}`);
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      bytes += chunk.length;
      if (until !== undefined && endsWithin(chunks, until)) break;
    }
    const ms = performance.now() - started;
    abort.abort();
    return { chunks, bytes, ms };
  };
  return { record, close: () => dispatcher.close() };
}

/** Whether `marker` is in the last two chunks (it may straddle them). */
function endsWithin(chunks: Buffer[], marker: string): boolean {
  const tail = chunks.length > 1 ? Buffer.concat(chunks.slice(-2)) : chunks[0]!;
  return tail.includes(marker);
}
