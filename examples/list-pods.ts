// List pods: every pod of the current namespace as a table, then only those that match a label selector and
// are not Running, built with the typed selector helpers.
//   node list-pods.js [app]   (the namespace is your kubeconfig context's, or the pod's own in a cluster)
import { connect, fields, labels } from "kubetyped/runtime";
import { pods, type Pod } from "../generated/core/v1.js";

const kube = await connect();
const podClient = kube.resource(pods);

const row = (pod: Pod) =>
  [pod.metadata?.name ?? "", pod.status?.phase ?? "Unknown", pod.spec?.nodeName ?? "<unscheduled>"].map((cell) => cell.padEnd(28)).join("").trimEnd();

console.log(`pods in namespace ${kube.namespace}:`);
console.log(["NAME", "PHASE", "NODE"].map((cell) => cell.padEnd(28)).join("").trimEnd());
// listAll follows `continue` tokens, so a namespace with thousands of pods is read a page at a time.
for await (const pod of podClient.listAll()) console.log(row(pod));

const app = process.argv[2];
if (app !== undefined) {
  // `app=<app>` and `status.phase!=Running`: validated before the request, escaped as the server expects.
  const notRunning = await podClient.list({ labelSelector: labels({ app }), fieldSelector: fields({ "status.phase": ["!=", "Running"] }) });
  console.log(`pods with app=${app} that are not Running: ${notRunning.items.map((pod) => pod.metadata?.name).join(", ") || "none"}`);
}
await kube.close();
