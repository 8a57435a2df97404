// Hand-written descriptors shaped like the generator's output, shared by the compile-time and e2e tests.
import { defineResource } from "kubetyped/runtime/plumbing";

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: { [key: string]: string };
  annotations?: { [key: string]: string };
  resourceVersion?: string;
  uid?: string;
  finalizers?: string[];
  deletionTimestamp?: string;
}

export interface ConfigMap {
  apiVersion?: "v1";
  kind?: "ConfigMap";
  metadata?: ObjectMeta;
  data?: { [key: string]: string };
}

export interface Job {
  apiVersion?: "batch/v1";
  kind?: "Job";
  metadata?: ObjectMeta;
  spec?: {
    suspend?: boolean;
    parallelism?: number;
    backoffLimit?: number;
    template: {
      metadata?: ObjectMeta;
      spec?: { restartPolicy?: "Never" | "OnFailure"; containers: Array<{ name: string; image?: string; command?: string[] }> };
    };
  };
  status?: { active?: number; startTime?: string; completionTime?: string; succeeded?: number; failed?: number; conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}

export interface ClusterRole {
  apiVersion?: "rbac.authorization.k8s.io/v1";
  kind?: "ClusterRole";
  metadata?: ObjectMeta;
  rules?: Array<{ apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[] }>;
}

export interface TokenReview {
  apiVersion?: "authentication.k8s.io/v1";
  kind?: "TokenReview";
  metadata?: ObjectMeta;
  spec: { token?: string; audiences?: string[] };
  status?: { authenticated?: boolean; user?: { username?: string } };
}

export interface Scale {
  apiVersion?: "autoscaling/v1";
  kind?: "Scale";
  metadata?: ObjectMeta;
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

export interface Deployment {
  apiVersion?: "apps/v1";
  kind?: "Deployment";
  metadata?: ObjectMeta;
  spec?: { replicas?: number };
}

export const configmaps = defineResource<ConfigMap>()({
  group: "",
  version: "v1",
  plural: "configmaps",
  kind: "ConfigMap",
  namespaced: true,
  verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
});

export const jobs = defineResource<Job, { status: Job }>()({
  group: "batch",
  version: "v1",
  plural: "jobs",
  kind: "Job",
  namespaced: true,
  verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
  subresources: { status: { verbs: ["get", "patch", "update"] } },
});

export const clusterroles = defineResource<ClusterRole>()({
  group: "rbac.authorization.k8s.io",
  version: "v1",
  plural: "clusterroles",
  kind: "ClusterRole",
  namespaced: false,
  verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
});

export const tokenreviews = defineResource<TokenReview>()({
  group: "authentication.k8s.io",
  version: "v1",
  plural: "tokenreviews",
  kind: "TokenReview",
  namespaced: false,
  verbs: ["create"],
});

export const deployments = defineResource<Deployment, { scale: Scale }>()({
  group: "apps",
  version: "v1",
  plural: "deployments",
  kind: "Deployment",
  namespaced: true,
  verbs: ["get", "list"],
  subresources: { scale: { verbs: ["get", "patch", "update"], group: "autoscaling", version: "v1", kind: "Scale" }, status: { verbs: ["get"] } },
});

export interface Pod {
  apiVersion?: "v1";
  kind?: "Pod";
  metadata?: ObjectMeta;
}

export interface Eviction {
  apiVersion?: "policy/v1beta1";
  kind?: "Eviction";
  metadata?: ObjectMeta;
  deleteOptions?: { gracePeriodSeconds?: number };
}

/** Shaped like the generator's pods descriptor: streaming subresources next to JSON ones. */
export const pods = defineResource<Pod, { eviction: Eviction; exec: unknown; log: unknown; status: Pod }>()({
  group: "",
  version: "v1",
  plural: "pods",
  kind: "Pod",
  namespaced: true,
  verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
  subresources: {
    eviction: { verbs: ["create"], kind: "Eviction", group: "policy", version: "v1beta1" },
    exec: { verbs: ["create", "get"], kind: "PodExecOptions" },
    log: { verbs: ["get"] },
    status: { verbs: ["get", "patch", "update"] },
  },
});
