// The big cluster of the scale section: the real cert-manager and JobSet CRDs (../shared/k8s/crds) copied
// under distinct groups, each copy varied deterministically (properties renamed, added and removed, enums,
// versions, scope, subresources), so no two groups serve the same schemas and every run builds the same ones.
import { join } from "node:path";
import { readCrdFile } from "../../local-cluster/crds.js";
import { varySchema, type Schema } from "./vary-schema.js";

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  subresources?: { status?: Record<string, never>; scale?: { specReplicasPath: string; statusReplicasPath: string } };
  schema: { openAPIV3Schema: Schema };
  [field: string]: unknown;
}

/** An apiextensions.k8s.io/v1 CustomResourceDefinition: what the snapshot describes and the API server installs. */
export interface Crd {
  apiVersion: "apiextensions.k8s.io/v1";
  kind: "CustomResourceDefinition";
  metadata: { name: string };
  spec: {
    group: string;
    scope: "Namespaced" | "Cluster";
    names: { plural: string; singular: string; kind: string; listKind: string; categories?: string[] };
    versions: CrdVersion[];
  };
}

/** Groups hold 1 to 20 CRDs, as operators and Crossplane providers do; the sizes repeat in this order. */
const GROUP_SIZES = [12, 1, 5, 20, 3, 8, 2, 9];
const SERVICES = ["compute", "storage", "network", "dns", "iam", "queue", "cache", "db", "mesh", "certs"];

/** The seven real CRDs the copies are made from. */
export async function readTemplateCrds(crdsFolder: string): Promise<Crd[]> {
  const files = ["cert-manager.crds.yaml", "jobset.yaml"].map((name) => join(crdsFolder, name));
  const crds = (await Promise.all(files.map((file) => readCrdFile(file)))).flat() as unknown as Crd[];
  if (crds.length === 0) throw new Error(`${crdsFolder}: no CustomResourceDefinitions in ${files.join(", ")}`);
  return crds;
}

/**
 * `count` CRDs. The first `n` of a larger count are the same CRDs as a count of `n`, so 500 → 1,000 → 2,000
 * grow one cluster instead of comparing three different ones.
 */
export function scaleCrds(templates: readonly Crd[], count: number): Crd[] {
  const crds: Crd[] = [];
  let group = 0;
  let inGroup = 0;
  const kindsInGroup = new Map<string, number>();
  for (let n = 0; n < count; n++) {
    if (inGroup === GROUP_SIZES[group % GROUP_SIZES.length]) {
      group++;
      inGroup = 0;
      kindsInGroup.clear();
    }
    const template = templates[n % templates.length]!;
    const seen = kindsInGroup.get(template.spec.names.kind) ?? 0;
    kindsInGroup.set(template.spec.names.kind, seen + 1);
    crds.push(varyCrd(template, n, scaleGroupName(group), seen === 0 ? template.spec.names.kind : `${template.spec.names.kind}${seen + 1}`));
    inGroup++;
  }
  return crds;
}

/** `compute0.scale.kubetyped.dev`, `storage1.scale.kubetyped.dev`, ... */
export function scaleGroupName(index: number): string {
  return `${SERVICES[index % SERVICES.length]}${index}.scale.kubetyped.dev`;
}

/** Copy number `n` of `template`, named `kind` in `group`. */
function varyCrd(template: Crd, n: number, group: string, kind: string): Crd {
  const plural = `${kind.toLowerCase()}s`;
  const scope = n % 5 === 3 ? (template.spec.scope === "Namespaced" ? "Cluster" : "Namespaced") : template.spec.scope;
  const versions = varyVersions(template.spec.versions, n).map((version, index) => {
    const schema = varySchema(version.schema.openAPIV3Schema, n * 31 + index);
    return withSubresources({ ...version, schema: { openAPIV3Schema: schema } }, n);
  });
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope,
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List`, ...(template.spec.names.categories && { categories: template.spec.names.categories }) },
      versions,
    },
  };
}

/** A quarter keep their versions, a quarter add an older served one, a quarter rename theirs; one in eight serves a deprecated alpha too. */
function varyVersions(versions: readonly CrdVersion[], n: number): CrdVersion[] {
  const first = versions[0]!;
  switch (n % 4) {
    case 1:
      return [...versions, { ...first, name: first.name === "v1" ? "v1beta1" : "v1", storage: false }];
    case 2:
      return versions.map((version) => ({ ...version, name: version.name === "v1" ? "v2" : "v1beta1" }));
    case 3:
      return n % 8 === 7 ? [...versions, { ...first, name: "v1alpha9", storage: false, deprecated: true }] : [...versions];
    default:
      return [...versions];
  }
}

/** One in three loses its status subresource, one in three gains scale (with the replica fields it points at). */
function withSubresources(version: CrdVersion, n: number): CrdVersion {
  if (n % 3 === 1) {
    const { status: _dropped, ...rest } = version.subresources ?? {};
    return { ...version, subresources: rest };
  }
  if (n % 3 !== 2) return version;
  const root = version.schema.openAPIV3Schema;
  const properties = (root.properties ?? {}) as Record<string, Schema>;
  const withReplicas = (part: string): Schema => {
    const schema = (properties[part] ?? { type: "object" }) as Schema;
    return { ...schema, type: "object", properties: { ...((schema.properties ?? {}) as Record<string, Schema>), replicas: { type: "integer", format: "int32" } } };
  };
  return {
    ...version,
    subresources: { ...version.subresources, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" } },
    schema: { openAPIV3Schema: { ...root, properties: { ...properties, spec: withReplicas("spec"), status: withReplicas("status") } } },
  };
}

/** `crd` as it is after a user edits it: one more spec field in every version (the one-CRD-changed row). */
export function withOneChange(crd: Crd): Crd {
  return {
    ...crd,
    spec: {
      ...crd.spec,
      versions: crd.spec.versions.map((version) => {
        const root = version.schema.openAPIV3Schema;
        const properties = (root.properties ?? {}) as Record<string, Schema>;
        const spec = (properties.spec ?? { type: "object" }) as Schema;
        const changedSpec: Schema = { ...spec, properties: { ...((spec.properties ?? {}) as Record<string, Schema>), editedByBench: { type: "string", description: "Added to measure regeneration after one CRD changed." } } };
        return { ...version, schema: { openAPIV3Schema: { ...root, properties: { ...properties, spec: changedSpec } } } };
      }),
    },
  };
}
