// Raw undici: the floor. One Agent with the kubeconfig's TLS material, JSON in and out, nothing else.
import { readFile } from "node:fs/promises";
import { Agent, request } from "undici";
import { parse } from "yaml";
import type { ContenderFactory, RunningWatch } from "./types.js";

interface KubeconfigFile {
  clusters: Array<{ name: string; cluster: { server: string; "certificate-authority"?: string } }>;
  users: Array<{ name: string; user: { token?: string; "client-certificate"?: string; "client-key"?: string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
  "current-context": string;
}

/** The current context's server, CA and credentials: the least a raw client must read. */
export async function readCurrentContext(path: string) {
  const config = parse(await readFile(path, "utf8")) as KubeconfigFile;
  const context = config.contexts.find((c) => c.name === config["current-context"])?.context;
  const cluster = config.clusters.find((c) => c.name === context?.cluster)?.cluster;
  const user = config.users.find((u) => u.name === context?.user)?.user;
  if (!cluster || !user) throw new Error(`${path}: current context ${config["current-context"]} has no cluster or user`);
  const fileOf = (name: string | undefined) => (name === undefined ? undefined : readFile(name));
  const [ca, cert, key] = await Promise.all([fileOf(cluster["certificate-authority"]), fileOf(user["client-certificate"]), fileOf(user["client-key"])]);
  return { server: cluster.server, ca, cert, key, token: user.token };
}

/** What client-go's metadata informers ask for: the list as PartialObjectMetadata. */
const METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

export const createUndici: ContenderFactory = async ({ kubeconfigPath }) => {
  const { server, ca, cert, key, token } = await readCurrentContext(kubeconfigPath);
  // Enough connections for the scale section's 100 watches at once (each holds one).
  const dispatcher = new Agent({ connect: { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) }, connections: 128 });
  const headers: Record<string, string> = { accept: "application/json", ...(token && { authorization: `Bearer ${token}` }) };
  /** `extra` headers override the defaults (`accept`, and a JSON `content-type` when there is a body). */
  const json = async (method: "GET" | "POST" | "PATCH", path: string, body?: unknown, extra?: Record<string, string>) => {
    const response = await request(`${server}${path}`, {
      method,
      dispatcher,
      // A plain GET sends the shared headers object as it is: this is the floor, so nothing is built per request.
      headers: body === undefined && extra === undefined ? headers : { ...headers, ...(body !== undefined && { "content-type": "application/json" }), ...extra },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const podsPath = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  /** Every pod of the namespace, page by page, keeping none; `accept` asks for another representation. */
  const countPages = async (namespace: string, pageSize: number, accept?: string) => {
    let count = 0;
    let token: string | undefined;
    do {
      const query = `?limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ""}`;
      const page = (await json("GET", `${podsPath(namespace)}${query}`, undefined, accept === undefined ? undefined : { accept })) as { items: unknown[]; metadata: { continue?: string } };
      count += page.items.length;
      token = page.metadata.continue;
    } while (token);
    return count;
  };
  return {
    getPod: (namespace, name) => json("GET", `${podsPath(namespace)}/${encodeURIComponent(name)}`),
    listPods: async (namespace) => ((await json("GET", podsPath(namespace))).items as unknown[]).length,
    createPod: (namespace, pod) => json("POST", podsPath(namespace), pod),
    applyPod: (namespace, pod) =>
      json("PATCH", `${podsPath(namespace)}/${encodeURIComponent(pod.metadata.name)}?fieldManager=kubetyped-bench&force=true`, pod, { "content-type": "application/apply-patch+yaml" }),
    async watchPods(namespace, onEvent): Promise<RunningWatch> {
      const controller = new AbortController();
      const response = await request(`${server}${podsPath(namespace)}?watch=true`, { dispatcher, headers, signal: controller.signal });
      const done = (async () => {
        let buffered = "";
        for await (const chunk of response.body.setEncoding("utf8")) {
          buffered += chunk as string;
          let newline: number;
          while ((newline = buffered.indexOf("\n")) >= 0) {
            const line = buffered.slice(0, newline);
            buffered = buffered.slice(newline + 1);
            if (line.trim()) onEvent((JSON.parse(line) as { type: string }).type);
          }
        }
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
    listAllPaginated: (namespace, pageSize) => countPages(namespace, pageSize),
    listAllMetadataPaginated: (namespace, pageSize) => countPages(namespace, pageSize, METADATA_LIST),
    close: () => dispatcher.close(),
  };
};
