// The objects every contender reads and writes: realistic pods (the kind the "list pods" names),
// the same shape on the canned server as on the real API server.
import { randomUUID } from "node:crypto";

/** Label on everything the bench creates, so cleanup is one deletecollection. */
export const BENCH_LABEL = "kubetyped.dev/bench";

export interface PodManifest {
  apiVersion: "v1";
  kind: "Pod";
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: Record<string, unknown>;
}

/** What a user would create: one container with ports, env and resources. */
export function podManifest(name: string, annotation = "0"): PodManifest {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      labels: { [BENCH_LABEL]: "true", app: "bench", tier: "web" },
      annotations: { "kubetyped.dev/revision": annotation },
    },
    spec: {
      containers: [
        {
          name: "app",
          image: "registry.k8s.io/pause:3.9",
          ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
          env: [
            { name: "MODE", value: "bench" },
            { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
          ],
          resources: { limits: { cpu: "100m", memory: "64Mi" }, requests: { cpu: "50m", memory: "32Mi" } },
        },
      ],
      nodeSelector: { "kubernetes.io/os": "linux" },
    },
  };
}

/** The pod as kube-apiserver 1.20 answers after defaulting: uid, resourceVersion, managedFields, defaults, status. */
export function servedPod(manifest: PodManifest, namespace: string, resourceVersion: number): Record<string, unknown> {
  const time = "2025-01-01T00:00:00Z";
  const container = (manifest.spec.containers as Array<Record<string, unknown>>)[0]!;
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: {
      ...manifest.metadata,
      namespace,
      uid: randomUUID(),
      resourceVersion: String(resourceVersion),
      creationTimestamp: time,
      managedFields: [
        {
          manager: "kubetyped-bench",
          operation: "Update",
          apiVersion: "v1",
          time,
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:metadata": { "f:annotations": { ".": {}, "f:kubetyped.dev/revision": {} }, "f:labels": { ".": {}, "f:app": {}, "f:tier": {}, [`f:${BENCH_LABEL}`]: {} } },
            "f:spec": { "f:containers": { 'k:{"name":"app"}': { ".": {}, "f:env": {}, "f:image": {}, "f:name": {}, "f:ports": {}, "f:resources": {} } }, "f:nodeSelector": {} },
          },
        },
      ],
    },
    spec: {
      volumes: [{ name: "default-token-abcde", secret: { secretName: "default-token-abcde", defaultMode: 420 } }],
      containers: [
        {
          ...container,
          volumeMounts: [{ name: "default-token-abcde", readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }],
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
          imagePullPolicy: "IfNotPresent",
        },
      ],
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      dnsPolicy: "ClusterFirst",
      nodeSelector: manifest.spec.nodeSelector,
      serviceAccountName: "default",
      serviceAccount: "default",
      securityContext: {},
      schedulerName: "default-scheduler",
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
    },
    status: { phase: "Pending", qosClass: "Burstable" },
  };
}
