// The corpus targets beyond our Widgets: cert-manager and JobSet CRDs from ../shared/k8s, and a few built-ins.
import path from "node:path";
import { readCrdFile } from "../../local-cluster/crds.js";
import type { CorpusTarget } from "./corpus.js";

interface CrdVersion {
  name: string;
  storage?: boolean;
  schema?: { openAPIV3Schema?: unknown };
}
interface Crd {
  metadata: { name: string };
  spec: { group: string; scope: string; names: { plural: string; kind: string }; versions: CrdVersion[] };
}

const ISSUER_REF = { name: "issuer", kind: "Issuer", group: "cert-manager.io" };
const POD_SPEC = { containers: [{ name: "c", image: "busybox" }], restartPolicy: "Never" };

/** Valid content per CRD kind of the shared files (their CRDs have no webhooks here, so the schema and CEL decide). */
const CRD_SEEDS: Record<string, { seed: Record<string, unknown>; extras?: Record<string, readonly unknown[]> }> = {
  Certificate: { seed: { spec: { secretName: "web-tls", issuerRef: ISSUER_REF, dnsNames: ["web.example.com"], duration: "2160h", privateKey: { algorithm: "ECDSA", size: 256 } } } },
  CertificateRequest: { seed: { spec: { request: "aGVsbG8=", issuerRef: ISSUER_REF, usages: ["digital signature"] } } },
  Issuer: { seed: { spec: { selfSigned: {} } } },
  ClusterIssuer: { seed: { spec: { ca: { secretName: "ca-key" } } } },
  JobSet: {
    seed: { spec: { jobs: [{ name: "workers", network: { enableDNSHostnames: false }, replicas: 1, template: { spec: { parallelism: 1, template: { spec: POD_SPEC } } } }] } },
    extras: {
      "spec.jobs.0.network.enableDNSHostnames": [true, false],
      "spec.jobs.0.template.spec.completionMode": ["Indexed", "NonIndexed"],
      "spec.jobs.0.template.spec.completions": [1, 2],
    },
  },
};

/** The CRDs of the shared files the corpus sends objects of, for installing them. */
export async function sharedCrds(sharedK8s: string): Promise<Crd[]> {
  const files = ["cert-manager.crds.yaml", "jobset.yaml"].map((file) => path.join(sharedK8s, "crds", file));
  const crds = (await Promise.all(files.map((file) => readCrdFile(file)))).flat() as unknown as Crd[];
  return crds.filter((crd) => CRD_SEEDS[crd.spec.names.kind]);
}

export function crdTargets(crds: readonly Crd[]): CorpusTarget[] {
  return crds.map((crd) => {
    const version = crd.spec.versions.find((v) => v.storage) ?? (crd.spec.versions[0] as CrdVersion);
    const { seed, extras } = CRD_SEEDS[crd.spec.names.kind] as (typeof CRD_SEEDS)[string];
    return {
      label: `${crd.spec.names.kind} (${crd.spec.group})`,
      group: crd.spec.group,
      version: version.name,
      plural: crd.spec.names.plural,
      kind: crd.spec.names.kind,
      namespaced: crd.spec.scope === "Namespaced",
      schema: version.schema?.openAPIV3Schema,
      seed,
      ...(extras ? { extras } : {}),
    };
  });
}

const builtIn = (label: string, group: string, version: string, plural: string, kind: string, seed: Record<string, unknown>): CorpusTarget => ({ label, group, version, plural, kind, namespaced: true, seed });

/** Built-ins, whose validation is partly hand-written Go rather than schema: the recall the issue asks to report. */
export const builtInTargets: CorpusTarget[] = [
  builtIn("ConfigMap", "", "v1", "configmaps", "ConfigMap", { data: { key: "value", other: "x" } }),
  builtIn("Service", "", "v1", "services", "Service", { spec: { ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }], selector: { app: "web" }, type: "ClusterIP" } }),
  builtIn("Deployment", "apps", "v1", "deployments", "Deployment", {
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 80 }] }] } } },
  }),
  builtIn("Secret", "", "v1", "secrets", "Secret", { type: "Opaque", stringData: { password: "secret" } }),
];
