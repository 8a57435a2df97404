// Exec into a pod: run a command to its end and print its output and exit code, then a session with
// streams that writes to the command's stdin. Needs a node (kubelet) running the pod.
//   node exec-pod.js POD [COMMAND...]   (default command: uname -a; the pod's only or default container)
import { connect } from "kubetyped/runtime";
import { pods } from "../generated/core/v1.js";

const [pod, ...command] = process.argv.slice(2);
if (pod === undefined) {
  console.error("usage: node exec-pod.js POD [COMMAND...]");
  process.exit(2);
}
const kube = await connect();
const podClient = kube.resource(pods);

// The whole output as text, with the exit code (a non-zero exit is a result, not an error).
const collected = await podClient.execAndCollect(pod, { command: command.length > 0 ? command : ["uname", "-a"] });
console.log(`exit code ${collected.exitCode}; stdout: ${collected.stdout.trim()}`);
if (collected.stderr) console.log(`stderr: ${collected.stderr.trim()}`);

// A session with streams: write to stdin, read stdout as it arrives; `cat` echoes its input back.
const session = await podClient.exec(pod, { command: ["cat"], stdin: true });
let echoed = "";
session.stdout.on("data", (chunk: Buffer) => (echoed += chunk.toString("utf8")));
session.stdin.end("hello from kubetyped\n");
const { exitCode } = await session.result;
console.log(`cat echoed ${JSON.stringify(echoed)} and exited ${exitCode} over ${session.protocol}`);
await kube.close();
