// The custom resource the validation-cost rows check: schema keywords and CEL rules of the libraries the client evaluates.
import type { KubeObject } from "../../runtime/index.js";

export const GIZMO_GROUP = "bench.kubetyped.dev";

const gizmoSchema = {
  type: "object",
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["size", "minReplicas", "maxReplicas"],
      "x-kubernetes-validations": [
        { rule: "self.minReplicas <= self.maxReplicas", message: "minReplicas must not exceed maxReplicas" },
        { rule: "!has(self.memory) || quantity(self.memory).isLessThan(quantity('64Gi'))", message: "memory must be under 64Gi" },
        { rule: "self.tags.all(tag, tag.size() <= 16)", message: "tags are at most 16 characters" },
      ],
      properties: {
        size: { type: "string", enum: ["small", "medium", "large"] },
        minReplicas: { type: "integer", minimum: 0 },
        maxReplicas: { type: "integer", maximum: 100 },
        name: { type: "string", maxLength: 63, "x-kubernetes-validations": [{ rule: "self.matches('^[a-z][a-z0-9-]*$')", message: "a DNS label" }] },
        memory: { "x-kubernetes-int-or-string": true },
        address: { type: "string", "x-kubernetes-validations": [{ rule: "isIP(self) && ip(self).family() == 4", message: "an IPv4 address" }] },
        tags: { type: "array", maxItems: 8, items: { type: "string" }, "x-kubernetes-list-type": "set" },
        ports: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { type: "object", required: ["name", "port"], properties: { name: { type: "string" }, port: { type: "integer", minimum: 1, maximum: 65535 } } },
        },
      },
    },
  },
};

/** Namespaced `gizmos.bench.kubetyped.dev/v1` with the schema above. */
export const gizmoCrd: KubeObject & { metadata: { name: string } } = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: `gizmos.${GIZMO_GROUP}` },
  spec: {
    group: GIZMO_GROUP,
    scope: "Namespaced",
    names: { plural: "gizmos", singular: "gizmo", kind: "Gizmo", listKind: "GizmoList" },
    versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: gizmoSchema } }],
  },
};

/** A valid gizmo: every rule above is evaluated on it. */
export const validGizmo = (name: string) => ({
  apiVersion: `${GIZMO_GROUP}/v1`,
  kind: "Gizmo",
  metadata: { name },
  spec: {
    size: "medium",
    minReplicas: 1,
    maxReplicas: 3,
    name: "web-frontend",
    memory: "512Mi",
    address: "10.0.0.7",
    tags: ["blue", "green"],
    ports: [
      { name: "http", port: 80 },
      { name: "https", port: 443 },
    ],
  },
});

/** A valid pod with what a real one has: containers, ports, resources, probes. */
export const validPod = (name: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels: { app: "web" } },
  spec: {
    containers: [
      {
        name: "web",
        image: "nginx:1.27",
        ports: [{ name: "http", containerPort: 80, protocol: "TCP" }],
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 5 },
        env: [{ name: "MODE", value: "production" }],
      },
    ],
    restartPolicy: "Always",
  },
});
