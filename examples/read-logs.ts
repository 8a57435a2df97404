// Read a pod's logs: the last lines at once, then follow new lines for a while. Needs a node (kubelet)
// running the pod.
//   node read-logs.js POD [SECONDS]
import { connect } from "kubetyped/runtime";
import { pods } from "../generated/core/v1.js";

const [pod, seconds = "10"] = process.argv.slice(2);
if (pod === undefined) {
  console.error("usage: node read-logs.js POD [SECONDS]");
  process.exit(2);
}
const kube = await connect();
const podClient = kube.resource(pods);

const tail = await podClient.log.get(pod, { tailLines: 20, timestamps: true });
process.stdout.write(tail);

// Follow for SECONDS: the signal ends the stream; breaking out of the loop would too.
console.log(`--- following ${pod} for ${seconds}s`);
const signal = AbortSignal.timeout(Number(seconds) * 1000);
try {
  for await (const line of podClient.log.stream(pod, { sinceSeconds: 1, signal })) console.log(line);
} catch (error) {
  if (!signal.aborted) throw error;
}
await kube.close();
