// A CRD version's `selectableFields` (beta 1.30, GA 1.32) are in neither discovery nor OpenAPI: they are read from the CRD objects.
import type { DocumentFetcher } from "./fetcher.js";
import type { DiscoveredGroupVersion, ServerVersion } from "./types.js";

/** Where the CRD objects are listed; a snapshot records the answer under this path like any other document. */
export const CRD_LIST_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

/** Field paths by `group/version/plural`, each as a field selector names it (`spec.color`, no leading dot). */
export type SelectableFieldsByResource = Map<string, string[]>;

/**
 * Reads the CRD objects and answers each CRD version's non-empty `selectableFields`, or a warning (said once)
 * when the list cannot be read: forbidden by RBAC, not served, not in a snapshot recorded before kubetyped read it.
 */
export async function readSelectableFields(fetcher: DocumentFetcher): Promise<{ fields: SelectableFieldsByResource; warning?: string }> {
  const answer = await fetcher.get(CRD_LIST_PATH, "application/json");
  const open = "fields() of custom resources accepts any field path";
  if (answer.status === 403) {
    return { fields: new Map(), warning: `listing CustomResourceDefinitions was forbidden (403), so their selectableFields are unknown and ${open}; grant list on customresourcedefinitions.apiextensions.k8s.io to type them` };
  }
  if (answer.status !== 200) {
    // Said alike live and replayed, so a replay reports what the recording run did.
    const hint = answer.status === 404 ? " (a snapshot recorded by an older kubetyped lacks it: record it again)" : "";
    return { fields: new Map(), warning: `${CRD_LIST_PATH} answered ${answer.status}${hint}, so CustomResourceDefinitions' selectableFields are unknown and ${open}` };
  }
  try {
    return { fields: selectableFieldsOf(JSON.parse(answer.body) as unknown) };
  } catch (error) {
    return { fields: new Map(), warning: `${CRD_LIST_PATH} is not a JSON CustomResourceDefinitionList (${(error as Error).message}); ${open}` };
  }
}

interface CrdListShape {
  items?: Array<{
    spec?: { group?: unknown; names?: { plural?: unknown }; versions?: Array<{ name?: unknown; selectableFields?: Array<{ jsonPath?: unknown }> }> };
  }>;
}

/** The non-empty `selectableFields` of each CRD version in a CustomResourceDefinitionList, sorted. */
export function selectableFieldsOf(list: unknown): SelectableFieldsByResource {
  const fields: SelectableFieldsByResource = new Map();
  for (const item of (list as CrdListShape | null)?.items ?? []) {
    const { group, names, versions } = item?.spec ?? {};
    if (typeof group !== "string" || typeof names?.plural !== "string" || !Array.isArray(versions)) continue;
    for (const version of versions) {
      const paths = (version?.selectableFields ?? []).map((field) => field?.jsonPath).filter((path): path is string => typeof path === "string");
      // The CRD writes `.spec.color`; a field selector says `spec.color`.
      const selectable = [...new Set(paths.map((path) => path.replace(/^\./, "")))].sort();
      if (typeof version?.name === "string" && selectable.length > 0) fields.set(`${group}/${version.name}/${names.plural}`, selectable);
    }
  }
  return fields;
}

/** Discovery with each custom resource's selectable fields set (the fingerprint hashes discovery, so a change regenerates). */
export function withSelectableFields(groupVersions: DiscoveredGroupVersion[], fields: SelectableFieldsByResource): DiscoveredGroupVersion[] {
  if (fields.size === 0) return groupVersions;
  return groupVersions.map((gv) => ({
    ...gv,
    resources: gv.resources.map((resource) => {
      const selectable = fields.get(`${gv.group}/${gv.version}/${resource.plural}`);
      return selectable === undefined ? resource : { ...resource, selectableFields: selectable };
    }),
  }));
}

/** Whether a server can serve CRDs with `selectableFields` (alpha in 1.30): an unknown version may. */
export function mayHaveSelectableFields(version: ServerVersion | undefined): boolean {
  const [major, minor] = [Number.parseInt(version?.major ?? "", 10), Number.parseInt(version?.minor ?? "", 10)];
  if (Number.isNaN(major) || Number.isNaN(minor)) return true;
  return major > 1 || (major === 1 && minor >= 30);
}
