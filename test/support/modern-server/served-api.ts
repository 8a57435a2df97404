/** A subresource as discovery lists it; `group`/`version` only when its body is of another group/version. */
export interface ServedSubresource {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** One resource with every fact discovery publishes about it, verbs in the order the server lists them. */
export interface ServedResource {
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: ServedSubresource[];
}

/** A group/version the test server serves: its discovery facts and its `/openapi/v3` document. */
export interface ServedGroupVersion {
  group: string;
  version: string;
  /** From a CustomResourceDefinition (listed after built-in groups, full `responseKind`s). */
  custom: boolean;
  resources: ServedResource[];
  /**
   * The document exactly as served (Go-style compact JSON) and its content hash. Absent only where upstream
   * discovery names a group/version that the shared documents lack: discovery lists it, `/openapi/v3` does not.
   */
  openapi?: { body: string; hash: string };
}

/** `api/v1` or `apis/<group>/<version>`: the key in `/openapi/v3` and the discovery path without its slash. */
export function servedPath(gv: { group: string; version: string }): string {
  return gv.group === "" ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

/** `v1` for core, `<group>/<version>` otherwise, as `groupVersion` fields spell it. */
export function groupVersionString(gv: { group: string; version: string }): string {
  return gv.group === "" ? gv.version : `${gv.group}/${gv.version}`;
}
