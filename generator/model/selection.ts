import type { DiscoveredGroupVersion } from "../sources/types.js";
import { ModelError } from "./errors.js";
import { groupVersionKey } from "../../runtime/core/group-version.js";

const CORE_VERSION = /^v\d+((alpha|beta)\d+)?$/;

/**
 * Picks the group/versions named by `groups`: `batch` (every version), `apps/v1`, `core`/`core/v1`, or a
 * bare `v1` for the core group. No entries means everything. An entry that matches nothing is an error.
 */
export function selectGroupVersions(
  discovered: readonly DiscoveredGroupVersion[],
  groups: readonly string[] | undefined,
): DiscoveredGroupVersion[] {
  if (groups === undefined || groups.length === 0) return [...discovered];
  const entries = groups.map((text) => {
    const trimmed = text.trim();
    if (CORE_VERSION.test(trimmed)) return { text, group: "", version: trimmed as string | undefined };
    const [group = "", version, extra] = trimmed.split("/");
    if (group === "" || extra !== undefined || version === "") {
      throw new ModelError(`groups entry ${JSON.stringify(text)} is not "group" or "group/version" (e.g. batch, apps/v1, core/v1)`, {
        document: "--groups",
      });
    }
    return { text, group: group === "core" ? "" : group, version };
  });
  const matches = (entry: (typeof entries)[number], gv: DiscoveredGroupVersion) =>
    entry.group === gv.group && (entry.version === undefined || entry.version === gv.version);
  for (const entry of entries) {
    if (!discovered.some((gv) => matches(entry, gv))) {
      const served = discovered.map((gv) => groupVersionKey(gv.group, gv.version)).join(", ");
      throw new ModelError(`groups entry ${JSON.stringify(entry.text)} matches no served group/version; served: ${served}`, {
        document: "--groups",
      });
    }
  }
  return discovered.filter((gv) => entries.some((entry) => matches(entry, gv)));
}
