import { SourceError } from "./errors.js";
import { groupVersionKey } from "../../runtime/core/group-version.js";

/**
 * Which group/versions to generate, from `--groups`: `batch` (every served version of a group), `batch/v1`
 * (one version), `core`, `core/v1` or a bare `v1` for the core group. No selection means everything served.
 */
export interface GroupSelection {
  matches(group: string, version: string): boolean;
  /** Throws when an entry matches none of the served group/versions (a typo should not yield an empty tree). */
  assertAllMatched(served: ReadonlyArray<{ group: string; version: string }>): void;
}

interface SelectionEntry {
  text: string;
  group: string;
  version?: string;
}

export function parseGroupSelection(groups: readonly string[] | undefined): GroupSelection {
  const entries = (groups ?? []).map(parseEntry);
  const entryMatches = (entry: SelectionEntry, group: string, version: string): boolean =>
    entry.group === group && (entry.version === undefined || entry.version === version);
  return {
    matches: (group, version) => entries.length === 0 || entries.some((entry) => entryMatches(entry, group, version)),
    assertAllMatched(served) {
      const unmatched = entries.filter((entry) => !served.some((gv) => entryMatches(entry, gv.group, gv.version)));
      if (unmatched.length === 0) return;
      const available = [...new Set(served.map((gv) => groupVersionKey(gv.group, gv.version)))].sort().join(", ");
      throw new SourceError(
        `--groups ${unmatched.map((entry) => entry.text).join(", ")} matches no served group/version; served: ${available}`,
        { url: "/apis" },
      );
    },
  };
}

const CORE_VERSION = /^v\d+((alpha|beta)\d+)?$/;

function parseEntry(text: string): SelectionEntry {
  const trimmed = text.trim();
  const parts = trimmed.split("/");
  if (trimmed === "" || parts.length > 2 || parts.some((part) => part === "")) {
    throw new SourceError(`--groups entry ${JSON.stringify(text)} is not \`group\` or \`group/version\` (e.g. batch, apps/v1, core/v1)`, {
      url: "--groups",
    });
  }
  if (parts.length === 1 && CORE_VERSION.test(trimmed)) return { text: trimmed, group: "", version: trimmed };
  const group = parts[0] === "core" ? "" : (parts[0] as string);
  return parts.length === 2 ? { text: trimmed, group, version: parts[1] as string } : { text: trimmed, group };
}
