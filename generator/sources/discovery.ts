import { mapWithConcurrency } from "./concurrency.js";
import { isAggregatedDiscoveryList, parseAggregatedDiscovery } from "./discovery-aggregated.js";
import { foldLegacyResourceList, type LegacyResourceList } from "./discovery-legacy.js";
import { SourceError } from "./errors.js";
import { DISCOVERY_ACCEPT, type DocumentFetcher } from "./fetcher.js";
import type { GroupSelection } from "./group-selection.js";
import { parseJsonDocument } from "./json.js";
import type { DiscoveredGroupVersion, SkippedGroupVersion } from "./types.js";
import { apiVersionOf, groupVersionKey, groupVersionUrlPath } from "../../runtime/core/group-version.js";

export interface DiscoveryResult {
  groupVersions: DiscoveredGroupVersion[];
  skipped: SkippedGroupVersion[];
  warnings: string[];
  /** True when the server answered with aggregated discovery (one round trip per root). */
  aggregated: boolean;
}

export interface DiscoveryOptions {
  selection: GroupSelection;
  /** How many `/apis/<g>/<v>` requests a legacy walk keeps in flight. */
  concurrency?: number;
  onProgress?: (message: string) => void;
}

interface PlannedGroupVersion {
  group: string;
  version: string;
  preferred: boolean;
}

/**
 * Discovers served resources: aggregated discovery when the server offers it, else the legacy walk of
 * `/api/v1` and every `/apis/<g>/<v>`. Group/versions that answer with an error are skipped, never fatal.
 */
export async function discoverApi(fetcher: DocumentFetcher, options: DiscoveryOptions): Promise<DiscoveryResult> {
  const [core, groups] = await Promise.all([fetchRoot(fetcher, "/api"), fetchRoot(fetcher, "/apis")]);
  const result: DiscoveryResult = { groupVersions: [], skipped: [], warnings: [], aggregated: false };
  const served: Array<{ group: string; version: string }> = [];
  const planned: PlannedGroupVersion[] = [];

  for (const [url, document] of [["/api", core], ["/apis", groups]] as const) {
    if (isAggregatedDiscoveryList(document)) {
      const parsed = parseAggregatedDiscovery(document, url, options.selection.matches);
      result.aggregated = true;
      result.groupVersions.push(...parsed.groupVersions);
      result.skipped.push(...parsed.skipped);
      served.push(...parsed.served);
    } else {
      const listed = url === "/api" ? planCore(document) : planGroups(document);
      served.push(...listed);
      planned.push(...listed.filter((gv) => options.selection.matches(gv.group, gv.version)));
    }
  }
  options.selection.assertAllMatched(served);

  let done = 0;
  const walked = await mapWithConcurrency(planned, options.concurrency ?? 8, async (gv) => {
    const outcome = await fetchGroupVersion(fetcher, gv);
    options.onProgress?.(`discovery ${++done}/${planned.length} ${groupVersionKey(gv.group, gv.version)}`);
    return outcome;
  });
  for (const outcome of walked) {
    if ("skipped" in outcome) result.skipped.push(outcome.skipped);
    else {
      result.groupVersions.push(outcome.groupVersion);
      result.warnings.push(...outcome.warnings);
    }
  }
  for (const skipped of result.skipped) result.warnings.push(`skipped ${skipped.groupVersion}: ${skipped.reason}`);
  return result;
}

async function fetchRoot(fetcher: DocumentFetcher, url: string): Promise<unknown> {
  const document = await fetcher.get(url, DISCOVERY_ACCEPT);
  if (document.status !== 200) {
    throw new SourceError(`discovery answered HTTP ${document.status} from ${fetcher.origin}; check the server URL and that the user may read discovery`, {
      url,
    });
  }
  return parseJsonDocument(document, url);
}

function planCore(document: unknown): PlannedGroupVersion[] {
  const versions = (document as { versions?: unknown }).versions;
  if (!Array.isArray(versions)) throw new SourceError("expected an APIVersions document with `versions`", { url: "/api", pointer: "/versions" });
  return versions.map((version, index) => ({ group: "", version: String(version), preferred: index === 0 }));
}

function planGroups(document: unknown): PlannedGroupVersion[] {
  const groups = (document as { groups?: unknown }).groups;
  if (!Array.isArray(groups)) throw new SourceError("expected an APIGroupList document with `groups`", { url: "/apis", pointer: "/groups" });
  return groups.flatMap((group: { name: string; versions?: Array<{ version: string }>; preferredVersion?: { version?: string } }) =>
    (group.versions ?? []).map((entry, index) => ({
      group: group.name,
      version: entry.version,
      preferred: group.preferredVersion?.version === undefined ? index === 0 : group.preferredVersion.version === entry.version,
    })),
  );
}

async function fetchGroupVersion(
  fetcher: DocumentFetcher,
  gv: PlannedGroupVersion,
): Promise<{ groupVersion: DiscoveredGroupVersion; warnings: string[] } | { skipped: SkippedGroupVersion }> {
  const url = groupVersionUrlPath(gv.group, gv.version);
  const groupVersion = apiVersionOf(gv.group, gv.version);
  const document = await fetcher.get(url, "application/json");
  if (document.status !== 200) {
    const detail = document.status === 503 ? " (an aggregated API server that is not answering)" : "";
    return { skipped: { groupVersion, reason: `HTTP ${document.status} from ${url}${detail}` } };
  }
  const list = parseJsonDocument<LegacyResourceList>(document, url);
  return foldLegacyResourceList(gv.group, gv.version, gv.preferred, list);
}
