// A first program against generated clients: run by `npm start` on the local control plane, or by hand
// after `npm run generate` against your own cluster (it works in the namespace of your current context).
import { connect, isNotFound } from "kubetyped/runtime";
import { jobs } from "../generated/batch/v1.js";
import { configMaps, type ConfigMap } from "../generated/core/v1.js";
import { widgets } from "../generated/demo.kubetyped.dev/v1alpha1.js";

const kube = await connect();
const version = await kube.nonResource.version();
console.log(`connected to ${kube.server} (Kubernetes ${version.gitVersion}), namespace ${kube.namespace}`);

// Typed create/get/patch/delete; the body is checked against the cluster's own ConfigMap schema.
const cms = kube.resource(configMaps);
const greeting: ConfigMap = { metadata: { name: "kubetyped-quickstart" }, data: { greeting: "hello" } };
await cms.delete(greeting.metadata!.name!).catch((error: unknown) => {
  if (!isNotFound(error)) throw error;
});
await cms.create(greeting);
const patched = await cms.patch("kubetyped-quickstart", { data: { greeting: "hello, typed world" } });
console.log(`configmap ${patched.metadata?.name}: ${patched.data?.greeting}`);

// A Job and its status subresource: `jobs.status` has exactly get, patch and update.
const jobClient = kube.resource(jobs);
const job = await jobClient.apply(
  {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "kubetyped-quickstart" },
    spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "pi", image: "perl:5.34", command: ["perl", "-e", "print 1"] }] } } },
  },
  { fieldManager: "kubetyped-quickstart", force: true },
);
const status = await jobClient.status.get(job.metadata!.name!);
console.log(`job ${status.metadata?.name} active=${status.status?.active ?? 0}`);

// A custom resource, typed from the CRD's own schema (spec.size is "small" | "medium" | "large").
const widgetClient = kube.resource(widgets);
await widgetClient.apply(
  { apiVersion: "demo.kubetyped.dev/v1alpha1", kind: "Widget", metadata: { name: "sprocket" }, spec: { size: "medium", replicas: 2, port: "http" } },
  { fieldManager: "kubetyped-quickstart" },
);
for (const widget of (await widgetClient.list()).items) console.log(`widget ${widget.metadata?.name}: size=${widget.spec?.size}`);

// Clean up what the example made.
await widgetClient.delete("sprocket");
await jobClient.delete("kubetyped-quickstart", { propagationPolicy: "Background" });
await cms.delete("kubetyped-quickstart");
await kube.close();
