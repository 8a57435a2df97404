import { readFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";
import { isNotFound, type KubeClient, type KubeObject, type WithName } from "../runtime/index.js";
import { defineResource } from "../runtime/entries/plumbing.js";

/** The one built-in descriptor the installer needs; everything else comes from generated modules. */
const customResourceDefinitions = defineResource<KubeObject>()({
  group: "apiextensions.k8s.io",
  version: "v1",
  plural: "customresourcedefinitions",
  kind: "CustomResourceDefinition",
  namespaced: false,
  verbs: ["get", "patch", "delete"],
});

interface CrdCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Every CustomResourceDefinition in a (multi-document) YAML file; each must be named (apply addresses it by name). */
export async function readCrdFile(path: string): Promise<WithName<KubeObject>[]> {
  const documents = parseAllDocuments(await readFile(path, "utf8"));
  const crds: WithName<KubeObject>[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]!.message}`);
    const value = document.toJS() as KubeObject | null;
    if (value?.kind !== "CustomResourceDefinition") continue;
    if (typeof value.metadata?.name !== "string") throw new Error(`${path}: a CustomResourceDefinition without metadata.name; name it <plural>.<group>`);
    crds.push(value as WithName<KubeObject>);
  }
  return crds;
}

/**
 * Server-side applies CRDs and waits until each is Established, so their group/versions are served
 * (and in discovery) before the caller generates or creates custom objects.
 */
export async function installCrds(kube: KubeClient, crds: WithName<KubeObject>[], timeoutMs = 60_000): Promise<string[]> {
  const client = kube.resource(customResourceDefinitions);
  for (const crd of crds) await client.apply(crd, { fieldManager: "kubetyped-local-cluster", force: true });
  const names = crds.map((crd) => crd.metadata.name);
  const deadline = Date.now() + timeoutMs;
  for (const name of names) await waitFor(deadline, () => notYetEstablished(kube, name));
  // The API server publishes a new CRD's schema in /openapi/v2 (and /openapi/v3) and lists it in aggregated
  // discovery a few seconds after the CRD is Established; generating before that would miss it or type its
  // objects as unknown.
  await waitFor(deadline, async () => {
    const [published, aggregated, indexed] = await Promise.all([publishedKinds(kube), aggregatedKinds(kube), openApiV3Index(kube)]);
    const missing = crds.map(groupKindOf).filter((kind) => !published.has(kind) || (aggregated && !aggregated.has(kind)));
    const unindexed = indexed ? crds.flatMap(groupVersionPaths).filter((path) => !indexed.has(path)) : [];
    if (missing.length > 0) return `the API server has not published OpenAPI schemas and aggregated discovery for ${missing.join(", ")}`;
    return unindexed.length === 0 ? undefined : `the API server's /openapi/v3 does not list ${unindexed.join(", ")} yet`;
  });
  return names;
}

/** Group/kind pairs aggregated discovery lists now; undefined where the server has none (before 1.26). */
async function aggregatedKinds(kube: KubeClient): Promise<Set<string> | undefined> {
  type Discovery = { kind?: string; items?: Array<{ metadata?: { name?: string }; versions?: Array<{ resources?: Array<{ responseKind?: { kind?: string } }> }> }> };
  const accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
  const document = await kube.requestJson<Discovery>({ method: "GET", path: "/apis", accept });
  if (document.kind !== "APIGroupDiscoveryList") return undefined;
  const kinds = new Set<string>();
  for (const group of document.items ?? [])
    for (const version of group.versions ?? []) for (const resource of version.resources ?? []) kinds.add(`${group.metadata?.name}/${resource.responseKind?.kind}`);
  return kinds;
}

/** The `apis/<group>/<version>` paths /openapi/v3 lists now; undefined where the server has no /openapi/v3. */
async function openApiV3Index(kube: KubeClient): Promise<Set<string> | undefined> {
  const index = await kube
    .requestJson<{ paths?: Record<string, unknown> }>({ method: "GET", path: "/openapi/v3" })
    .catch((error: unknown) => unlessNotFound(error));
  return index ? new Set(Object.keys(index.paths ?? {})) : undefined;
}

function groupVersionPaths(crd: KubeObject): string[] {
  const spec = (crd as { spec: CrdSpec }).spec;
  return spec.versions.filter((version) => version.served !== false).map((version) => `apis/${spec.group}/${version.name}`);
}

/**
 * Deletes CRDs and waits until the server has forgotten them: each object gone (the server's finalizer deletes
 * its custom objects first) and its kind neither in discovery nor in /openapi/v2. The two drop a kind at
 * different moments, and /openapi/v2 may even publish a CRD deleted before its schema was: only the object's
 * absence says no such change is still on its way.
 */
export async function uninstallCrds(kube: KubeClient, crds: WithName<KubeObject>[], timeoutMs = 60_000): Promise<void> {
  const client = kube.resource(customResourceDefinitions);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) await client.delete(crd.metadata.name).catch(unlessNotFound);
  for (const crd of crds) {
    await waitFor(deadline, () =>
      client.get(crd.metadata.name).then(
        () => `CRD ${crd.metadata.name} still exists (its custom objects are being deleted)`,
        (error: unknown) => unlessNotFound(error),
      ),
    );
  }
  await waitFor(deadline, async () => {
    const [published, discovered] = await Promise.all([publishedKinds(kube), discoveredKinds(kube, crds)]);
    const listed = crds.map(groupKindOf).filter((kind) => published.has(kind) || discovered.has(kind));
    return listed.length === 0 ? undefined : `/openapi/v2 or discovery still lists ${listed.join(", ")} after its CRD was deleted`;
  });
}

/** Polls `pending` (what is still awaited, or undefined once nothing is) until nothing is, or throws it at the deadline. */
async function waitFor(deadline: number, pending: () => Promise<string | undefined>): Promise<void> {
  for (;;) {
    const awaited = await pending();
    if (awaited === undefined) return;
    if (Date.now() > deadline) throw new Error(awaited);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function notYetEstablished(kube: KubeClient, name: string): Promise<string | undefined> {
  const current = (await kube.resource(customResourceDefinitions).get(name)) as KubeObject & { status?: { conditions?: CrdCondition[] } };
  const conditions = current.status?.conditions ?? [];
  if (conditions.some((c) => c.type === "Established" && c.status === "True")) return undefined;
  const refused = conditions.find((c) => c.type === "NamesAccepted" && c.status === "False");
  if (refused) throw new Error(`CRD ${name} was not accepted: ${refused.message ?? refused.reason}`);
  return `CRD ${name} not Established`;
}

function unlessNotFound(error: unknown): undefined {
  if (isNotFound(error)) return undefined;
  throw error;
}

interface CrdSpec {
  group: string;
  names: { kind: string };
  versions: Array<{ name: string; served?: boolean }>;
}

function groupKindOf(crd: KubeObject): string {
  const spec = (crd as { spec: CrdSpec }).spec;
  return `${spec.group}/${spec.names.kind}`;
}

/** Group/kind pairs whose schemas `/openapi/v2` publishes now. */
async function publishedKinds(kube: KubeClient): Promise<Set<string>> {
  type Gvk = { group: string; kind: string };
  const document = await kube.requestJson<{ definitions?: Record<string, { "x-kubernetes-group-version-kind"?: Gvk[] }> }>({
    method: "GET",
    path: "/openapi/v2",
  });
  const kinds = new Set<string>();
  for (const definition of Object.values(document.definitions ?? {}))
    for (const gvk of definition["x-kubernetes-group-version-kind"] ?? []) kinds.add(`${gvk.group}/${gvk.kind}`);
  return kinds;
}

/** Which of these CRDs' group/kinds discovery (`/apis/<group>/<version>`) serves now. */
async function discoveredKinds(kube: KubeClient, crds: KubeObject[]): Promise<Set<string>> {
  const kinds = new Set<string>();
  for (const crd of crds) {
    const spec = (crd as { spec: CrdSpec }).spec;
    for (const { name: version } of spec.versions) {
      const list = await kube
        .requestJson<{ resources?: Array<{ kind: string }> }>({ method: "GET", path: `/apis/${spec.group}/${version}` })
        .catch((error: unknown) => unlessNotFound(error));
      if (list?.resources?.some((resource) => resource.kind === spec.names.kind)) kinds.add(groupKindOf(crd));
    }
  }
  return kinds;
}

/** A small CRD of our own: namespaced, with status and scale subresources, an enum and an int-or-string. */
export const widgetCrd: WithName<KubeObject> = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.demo.kubetyped.dev" },
  spec: {
    group: "demo.kubetyped.dev",
    scope: "Namespaced",
    names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList", shortNames: ["wdg"], categories: ["kubetyped"] },
    versions: [
      {
        name: "v1alpha1",
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" } },
        schema: {
          openAPIV3Schema: {
            type: "object",
            description: "A Widget is the demo custom resource of kubetyped.",
            properties: {
              apiVersion: { type: "string" },
              kind: { type: "string" },
              metadata: { type: "object" },
              spec: {
                type: "object",
                required: ["size"],
                properties: {
                  size: { type: "string", enum: ["small", "medium", "large"], description: "How big the widget is." },
                  replicas: { type: "integer", format: "int32", minimum: 0 },
                  port: { "x-kubernetes-int-or-string": true },
                  labels: { type: "object", additionalProperties: { type: "string" } },
                  parts: {
                    type: "array",
                    items: { type: "object", required: ["name"], properties: { name: { type: "string" }, count: { type: "integer" } } },
                  },
                  extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                },
              },
              status: {
                type: "object",
                properties: {
                  replicas: { type: "integer", format: "int32" },
                  phase: { type: "string" },
                  observedGeneration: { type: "integer", format: "int64" },
                  conditions: {
                    type: "array",
                    description: "What the operator (examples/operator.ts) last concluded about the widget.",
                    items: {
                      type: "object",
                      required: ["type", "status"],
                      properties: {
                        type: { type: "string" },
                        status: { type: "string", enum: ["True", "False", "Unknown"] },
                        reason: { type: "string" },
                        message: { type: "string" },
                        observedGeneration: { type: "integer", format: "int64" },
                        lastTransitionTime: { type: "string", format: "date-time" },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};
