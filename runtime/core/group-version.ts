// The three spellings of a group/version, written once for the runtime and the generator (core is group "").

/** `v1` for the core group, `<group>/<version>` otherwise: an object's `apiVersion`. */
export function apiVersionOf(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}

/** `core/v1` for the core group, `<group>/<version>` otherwise: the module path under `generated/`, and how messages name it. */
export function groupVersionKey(group: string, version: string): string {
  return `${group === "" ? "core" : group}/${version}`;
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise, unvalidated (`buildGroupVersionPath` validates). */
export function groupVersionUrlPath(group: string, version: string): string {
  return group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
}
