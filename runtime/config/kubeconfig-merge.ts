import { ConfigError } from "./errors.js";
import type { KubeconfigDocument } from "./kubeconfig-files.js";

type Section = "clusters" | "users" | "contexts";
const entryKey: Record<Section, string> = { clusters: "cluster", users: "user", contexts: "context" };

/** A named kubeconfig entry and the file that defined it (relative paths resolve against that file). */
export interface NamedEntry {
  name: string;
  file: string;
  /** `clusters[].cluster`, `users[].user` or `contexts[].context` as written. */
  value: Record<string, unknown>;
}

export interface MergedKubeconfig {
  clusters: Map<string, NamedEntry>;
  users: Map<string, NamedEntry>;
  contexts: Map<string, NamedEntry>;
  currentContext?: { name: string; file: string };
  files: string[];
}

/**
 * Merges documents as kubectl merges a `KUBECONFIG` list: the first file to define a cluster, user or
 * context name wins, and the first non-empty `current-context` wins.
 */
export function mergeKubeconfigDocuments(documents: readonly KubeconfigDocument[]): MergedKubeconfig {
  const merged: MergedKubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map(), files: [] };
  for (const { file, data } of documents) {
    merged.files.push(file);
    if (data === null || data === undefined) continue; // an empty file is valid and contributes nothing
    if (!isRecord(data)) throw new ConfigError("a kubeconfig must be a YAML mapping (apiVersion, clusters, users, contexts)", { file });
    for (const section of ["clusters", "users", "contexts"] as const) {
      for (const entry of sectionEntries(data, section, file)) {
        if (!merged[section].has(entry.name)) merged[section].set(entry.name, entry);
      }
    }
    const current = data["current-context"];
    if (current !== undefined && current !== null && typeof current !== "string") {
      throw new ConfigError("must be a string", { file, field: "current-context" });
    }
    if (current && !merged.currentContext) merged.currentContext = { name: current, file };
  }
  return merged;
}

function sectionEntries(data: Record<string, unknown>, section: Section, file: string): NamedEntry[] {
  const list = data[section];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ConfigError(`must be a list of {name, ${entryKey[section]}}`, { file, field: section });
  return list.map((item: unknown, index) => {
    if (!isRecord(item) || typeof item.name !== "string" || item.name === "") {
      throw new ConfigError("each entry needs a non-empty string `name`", { file, field: `${section}[${index}].name` });
    }
    const value = item[entryKey[section]] ?? {};
    if (!isRecord(value)) {
      throw new ConfigError("must be a mapping", { file, field: `${section}[name=${item.name}].${entryKey[section]}` });
    }
    return { name: item.name, file, value };
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
