// Apply a Deployment with server-side apply, read it back, and scale it through its `scale` subresource.
//   node apply-deployment.js [--keep]   (without --keep the Deployment is deleted at the end)
import { connect, isNotFound } from "kubetyped/runtime";
import { deployments, type Deployment } from "../generated/apps/v1.js";

const kube = await connect();
const deploymentClient = kube.resource(deployments);
const name = "kubetyped-example-web";

// The body is type-checked against your cluster's own Deployment schema; apply sends only the fields you own.
const desired: Deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80, name: "http" }] }] },
    },
  },
};
const applied = await deploymentClient.apply(desired, { fieldManager: "kubetyped-example", force: true });
console.log(`applied deployment ${applied.metadata?.name} (generation ${applied.metadata?.generation}, replicas ${applied.spec?.replicas})`);

// deployments/scale lists get, patch and update: nothing else compiles.
const scaled = await deploymentClient.scale.patch(name, { spec: { replicas: 3 } });
console.log(`scaled ${name} to ${scaled.spec?.replicas} replicas`);
const current = await deploymentClient.get(name);
console.log(`deployment ${name} now wants ${current.spec?.replicas} replicas`);

if (!process.argv.includes("--keep")) {
  await deploymentClient.delete(name, { propagationPolicy: "Background" }).catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
  });
  console.log(`deleted deployment ${name}`);
}
await kube.close();
