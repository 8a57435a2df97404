// The "small program that lists pods", once per client. Written to .tmp/bench/programs/<contender>.ts at
// setup (the kubetyped one imports the generated module, which exists only after generation), then bundled
// (bundle scenario), type-checked (type-check scenario) and run compiled in a fresh process (cold start).
// Each prints one BENCH-RESULT line: items listed, ms since process start, RSS.
import { NAMESPACES } from "../plan.js";

const report = `console.log("BENCH-RESULT " + JSON.stringify({ items: count, ms: performance.now(), rssMb: process.memoryUsage().rss / 2 ** 20 }));`;
const ns = JSON.stringify(NAMESPACES.read);

export const PROGRAM_SOURCES: Record<string, string> = {
  kubetyped: `import { connect } from "kubetyped/runtime";
import { pods } from "../generated/core/v1.js";

const kube = await connect();
const list = await kube.resource(pods).list({ namespace: ${ns} });
const count: number = list.items.filter((pod) => pod.metadata?.name).length;
${report}
await kube.close();
`,
  undici: `import { readFileSync } from "node:fs";
import { Agent, request } from "undici";
import { parse } from "yaml";

// The floor: read the current context by hand, one GET with the kubeconfig's TLS material.
const config = parse(readFileSync(process.env.KUBECONFIG!, "utf8"));
const context = config.contexts.find((c: { name: string }) => c.name === config["current-context"]).context;
const cluster = config.clusters.find((c: { name: string }) => c.name === context.cluster).cluster;
const user = config.users.find((u: { name: string }) => u.name === context.user).user;
const read = (file?: string) => (file ? readFileSync(file) : undefined);
const dispatcher = new Agent({ connect: { ca: read(cluster["certificate-authority"]), cert: read(user["client-certificate"]), key: read(user["client-key"]) } });
const response = await request(cluster.server + "/api/v1/namespaces/" + ${ns} + "/pods", {
  dispatcher,
  headers: { accept: "application/json", ...(user.token && { authorization: "Bearer " + user.token }) },
});
const list = (await response.body.json()) as { items: Array<{ metadata?: { name?: string } }> };
const count: number = list.items.filter((pod) => pod.metadata?.name).length;
${report}
await dispatcher.close();
`,
  "client-node-1": `import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";

const config = new KubeConfig();
config.loadFromDefault();
const api = config.makeApiClient(CoreV1Api);
const list = await api.listNamespacedPod({ namespace: ${ns} });
const count: number = list.items.filter((pod) => pod.metadata?.name).length;
${report}
`,
  "client-node-0": `import { CoreV1Api, KubeConfig } from "client-node-0";

const config = new KubeConfig();
config.loadFromDefault();
const api = config.makeApiClient(CoreV1Api);
const { body: list } = await api.listNamespacedPod(${ns});
const count: number = list.items.filter((pod) => pod.metadata?.name).length;
${report}
`,
  fluent: `import { K8s, kind } from "kubernetes-fluent-client";

const list = await K8s(kind.Pod).InNamespace(${ns}).Get();
const count: number = list.items.filter((pod) => pod.metadata?.name).length;
${report}
`,
};
