import type { OpenAPIV2, OpenAPIV3 } from "openapi-types";

/** Server version as `/version` reports it. */
export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
  [key: string]: unknown;
}

/** A subresource as discovery lists it (`jobs/status`), kind and group/version of its body included. */
export interface DiscoveredSubresource {
  name: string;
  kind: string;
  /** Group/version of `kind` when it differs from the parent's (`deployments/scale` → autoscaling/v1). */
  group?: string;
  version?: string;
  verbs: string[];
}

/** One resource of a group/version, with its subresources folded in. */
export interface DiscoveredResource {
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: DiscoveredSubresource[];
}

/** A served group/version. `group` is "" for the core group. */
export interface DiscoveredGroupVersion {
  group: string;
  version: string;
  /** The group's preferred version. */
  preferred: boolean;
  resources: DiscoveredResource[];
}

/** A group/version that discovery named but that could not be used (503, stale, missing document). */
export interface SkippedGroupVersion {
  groupVersion: string;
  reason: string;
}

export type OpenApiSource =
  /** `/openapi/v3/<prefix>` documents keyed by group/version key (`core/v1`, `batch/v1`). */
  | { kind: "v3"; documents: Map<string, OpenAPIV3.Document> }
  /** The single `/openapi/v2` document (clusters before 1.23). */
  | { kind: "v2"; document: OpenAPIV2.Document };

/** Everything the generator reads from a cluster or snapshot, before any modelling. */
export interface SourceSet {
  /** Where it came from, for messages (`https://127.0.0.1:6443`, `snapshot ../x`). */
  origin: string;
  serverVersion?: ServerVersion;
  groupVersions: DiscoveredGroupVersion[];
  openapi: OpenApiSource;
  /** Content hash per group/version key (from `/openapi/v3` `serverRelativeURL`s, or computed). */
  hashes: Map<string, string>;
  skipped: SkippedGroupVersion[];
  warnings: string[];
}

/** `core/v1` for the core group, `<group>/<version>` otherwise: the module path under `generated/`. */
export function groupVersionKey(group: string, version: string): string {
  return `${group === "" ? "core" : group}/${version}`;
}
