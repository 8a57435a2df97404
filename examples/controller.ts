// An in-cluster controller skeleton: an informer feeds a de-duplicating work queue, and a reconcile
// function drives each object towards its desired state with server-side apply. This one fills in
// `data.greeting` of every ConfigMap labelled `example.kubetyped.dev/greet`.
//
// In a pod, `connect()` uses the ServiceAccount; locally it uses your kubeconfig. The ServiceAccount needs:
//   rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "patch"] }]
// (a Role in the namespace it watches; see docs/README-sections.md for the full RBAC manifest).
// It stops cleanly on SIGTERM (what Kubernetes sends a pod before killing it) and SIGINT.
import { connect, exists, isNotFound, labels } from "kubetyped/runtime";
import { createInformer } from "kubetyped/runtime/controller";
import { configMaps, type ConfigMap } from "../generated/core/v1.js";

const FIELD_MANAGER = "greeter-controller";
const kube = await connect();
const cms = kube.resource(configMaps);

/** Idempotent: compares desired with observed state and applies only the fields this controller owns. */
async function reconcile(name: string): Promise<void> {
  const cm = informer.get(name);
  if (cm === undefined) return; // deleted meanwhile: nothing to own any more
  const greeting = `hello, ${cm.metadata?.labels?.["example.kubetyped.dev/greet"] || name}`;
  if (cm.data?.["greeting"] === greeting) return;
  await cms.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { greeting } }, { fieldManager: FIELD_MANAGER });
  console.log(`reconciled ${cm.metadata?.namespace}/${name}: greeting=${JSON.stringify(greeting)}`);
}

// A work queue keyed by name: a burst of events for one object becomes one reconcile; failures retry later.
const queued = new Set<string>();
let wake: (() => void) | undefined;
const enqueue = (cm: ConfigMap) => {
  const name = cm.metadata?.name;
  if (name === undefined) return;
  queued.add(name);
  wake?.();
};

const informer = createInformer(cms, { labelSelector: labels({ "example.kubetyped.dev/greet": exists() }), resyncMs: 5 * 60_000 });
informer.on("add", enqueue);
informer.on("update", (cm) => enqueue(cm));
informer.on("error", (error) => console.error(`watch: ${error instanceof Error ? error.message : String(error)}`));

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  console.log("stopping");
  wake?.();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);

await informer.synced;
console.log(`watching ConfigMaps labelled example.kubetyped.dev/greet in ${kube.namespace} (${informer.list().length} now)`);
while (!stopping) {
  const name = queued.values().next().value;
  if (name === undefined) {
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    continue;
  }
  queued.delete(name);
  try {
    await reconcile(name);
  } catch (error) {
    if (isNotFound(error)) continue;
    console.error(`reconcile ${name}: ${error instanceof Error ? error.message : String(error)}; retrying in 1 s`);
    setTimeout(() => enqueue({ metadata: { name } }), 1000);
  }
}
await informer.stop();
await kube.close();
console.log("stopped");
