import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { clientFromConnection, isForbidden, isNotFound, type KubeClient, Secret, StatusError } from "../../runtime/index.js";
import { defineResource, loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { createNamespace } from "../support/cluster-ops.js";
import { describeWithCluster } from "../support/cluster.js";
import { configmaps, type ObjectMeta } from "../types/fixtures.js";

interface Deployment {
  apiVersion?: "apps/v1";
  kind?: "Deployment";
  metadata?: ObjectMeta & { generation?: number };
  spec?: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata?: ObjectMeta; spec?: { containers: Array<{ name: string; image: string }> } };
  };
  status?: { replicas?: number; readyReplicas?: number; observedGeneration?: number };
}
interface Scale {
  apiVersion?: "autoscaling/v1";
  kind?: "Scale";
  metadata?: ObjectMeta;
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}
const deployments = defineResource<Deployment, { status: Deployment; scale: Scale }>()({
  group: "apps",
  version: "v1",
  plural: "deployments",
  kind: "Deployment",
  namespaced: true,
  verbs: ["create", "get", "delete", "patch", "update"],
  subresources: {
    status: { verbs: ["get", "patch", "update"] },
    scale: { verbs: ["get", "patch", "update"], kind: "Scale", group: "autoscaling", version: "v1" },
  },
});

interface ServiceAccount {
  apiVersion?: "v1";
  kind?: "ServiceAccount";
  metadata?: ObjectMeta;
}
interface TokenRequest {
  apiVersion?: "authentication.k8s.io/v1";
  kind?: "TokenRequest";
  metadata?: ObjectMeta;
  spec: { audiences?: string[]; expirationSeconds?: number };
  status?: { token: string; expirationTimestamp: string };
}
const serviceaccounts = defineResource<ServiceAccount, { token: TokenRequest }>()({
  group: "",
  version: "v1",
  plural: "serviceaccounts",
  kind: "ServiceAccount",
  namespaced: true,
  verbs: ["create", "get"],
  subresources: { token: { verbs: ["create"], kind: "TokenRequest", group: "authentication.k8s.io", version: "v1" } },
});

interface SelfSubjectAccessReview {
  apiVersion?: "authorization.k8s.io/v1";
  kind?: "SelfSubjectAccessReview";
  spec: { resourceAttributes: { namespace?: string; verb: string; resource: string } };
  status?: { allowed: boolean };
}
const selfsubjectaccessreviews = defineResource<SelfSubjectAccessReview>()({
  group: "authorization.k8s.io",
  version: "v1",
  plural: "selfsubjectaccessreviews",
  kind: "SelfSubjectAccessReview",
  namespaced: false,
  verbs: ["create"],
});

interface Pod {
  apiVersion?: "v1";
  kind?: "Pod";
  metadata?: ObjectMeta;
  spec?: { nodeName?: string; containers: Array<{ name: string; image: string }> };
}
interface Eviction {
  apiVersion?: "policy/v1beta1";
  kind?: "Eviction";
  metadata?: ObjectMeta;
}
interface Binding {
  apiVersion?: "v1";
  kind?: "Binding";
  metadata?: ObjectMeta;
  target: { apiVersion?: string; kind?: string; name: string };
}
const pods = defineResource<Pod, { eviction: Eviction; binding: Binding }>()({
  group: "",
  version: "v1",
  plural: "pods",
  kind: "Pod",
  namespaced: true,
  verbs: ["create", "get", "delete"],
  subresources: {
    eviction: { verbs: ["create"], kind: "Eviction", group: "policy", version: "v1beta1" },
    binding: { verbs: ["create"], kind: "Binding" },
  },
});

const podSpec = { containers: [{ name: "main", image: "registry.example/none:1" }] };

describeWithCluster("subresources against kube-apiserver", (cluster) => {
  const namespace = `subresources-e2e-${randomBytes(4).toString("hex")}`;
  let kube: KubeClient;
  const others: KubeClient[] = [];

  beforeAll(async () => {
    kube = clientFromConnection(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }), { namespace });
    await createNamespace(kube, namespace);
  });
  afterAll(async () => {
    await Promise.all([kube, ...others].map((client) => client?.close()));
  });

  it("reads and writes a Deployment's scale (autoscaling/v1 Scale) and status", async () => {
    const client = kube.resource(deployments);
    await client.create({
      metadata: { name: "web" },
      spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: podSpec } },
    });
    const scale = await client.scale.get("web");
    expect(scale).toMatchObject({ apiVersion: "autoscaling/v1", kind: "Scale", spec: { replicas: 1 }, status: { selector: "app=web" } });

    // A body without apiVersion/kind is sent as a Scale, not as the parent's Deployment. (The server wants
    // metadata.namespace in a Scale body; it does not fill it from the URL as it does for whole objects.)
    const updated = await client.scale.update({ metadata: { name: "web", namespace }, spec: { replicas: 3 } });
    expect(updated.spec?.replicas).toBe(3);
    expect((await client.get("web")).spec?.replicas).toBe(3);
    expect((await client.scale.patch("web", { spec: { replicas: 5 } })).spec?.replicas).toBe(5);
    expect((await client.get("web")).spec?.replicas).toBe(5);

    // No controller runs here, so status holds exactly what we write; /status ignores spec changes.
    const patched = await client.status.patch("web", { status: { replicas: 2, observedGeneration: 1 } });
    expect(patched.status).toMatchObject({ replicas: 2, observedGeneration: 1 });
    const replaced = await client.status.update({ ...patched, spec: { ...patched.spec!, replicas: 9 }, status: { replicas: 4 } });
    expect(replaced.status?.replicas).toBe(4);
    expect(replaced.spec?.replicas).toBe(5);
    expect((await client.status.get("web")).status?.replicas).toBe(4);
  });

  it("gets a TokenRequest through serviceaccounts/token and authenticates with the token", async () => {
    await kube.resource(serviceaccounts).create({ metadata: { name: "robot" } });
    const request = await kube.resource(serviceaccounts).token.create("robot", { spec: { expirationSeconds: 600 } });
    expect(request.kind).toBe("TokenRequest");
    const token = request.status!.token;
    expect(token.split(".")).toHaveLength(3); // a JWT
    expect(Date.parse(request.status!.expirationTimestamp)).toBeGreaterThan(Date.now());

    const admin = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath, context: cluster.contexts.adminToken });
    const robot = clientFromConnection({ ...admin, credentials: { type: "token", token: new Secret(token) } }, { namespace });
    others.push(robot);
    // Authenticated (an unknown token would be 401) but without RBAC: the review answers, and says no.
    const review = await robot.resource(selfsubjectaccessreviews).create({ spec: { resourceAttributes: { namespace, verb: "list", resource: "configmaps" } } });
    expect(review.status?.allowed).toBe(false);
    const forbidden = await robot.resource(configmaps).list().catch((error: unknown) => error);
    expect(forbidden).toSatisfy(isForbidden);
    expect((forbidden as StatusError).message).toContain(`User "system:serviceaccount:${namespace}:robot"`);
    expect((forbidden as StatusError).message).not.toContain(token);
  });

  it("evicts a pod through pods/eviction (policy/v1beta1)", async () => {
    const client = kube.resource(pods);
    await client.create({ metadata: { name: "evictee" }, spec: podSpec });
    const answer = await client.eviction.create("evictee", { metadata: { name: "evictee" } });
    expect(answer).toMatchObject({ kind: "Status", status: "Success" });
    // Never scheduled, so deleted at once.
    await expect(client.get("evictee")).rejects.toSatisfy(isNotFound);
  });

  it("binds a pod to a node through pods/binding (no Node object needed)", async () => {
    const client = kube.resource(pods);
    await client.create({ metadata: { name: "bound" }, spec: podSpec });
    const answer = await client.binding.create("bound", { metadata: { name: "bound" }, target: { apiVersion: "v1", kind: "Node", name: "node-a" } });
    expect(answer).toMatchObject({ kind: "Status", status: "Success" });
    expect((await client.get("bound")).spec?.nodeName).toBe("node-a");
    // Binding twice is refused: the pod is already assigned.
    await expect(client.binding.create("bound", { metadata: { name: "bound" }, target: { kind: "Node", name: "node-b" } })).rejects.toMatchObject({ code: 409 });
    await client.delete("bound", { gracePeriodSeconds: 0 });
  });
});
