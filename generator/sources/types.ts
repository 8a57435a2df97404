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
  /** A custom resource's field paths its CRD lists as `selectableFields` (read from the CRD objects, not discovery). */
  selectableFields?: string[];
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

/**
 * What generated output depends on from the sources' side, known before any OpenAPI document is parsed: the
 * documents stand here by their content hashes. Input of the fingerprint (generator/input-fingerprint.ts).
 */
export interface SourceInputs extends Omit<SourceSet, "openapi" | "groupVersions"> {
  openapi: OpenApiSource["kind"];
  /**
   * Discovery as served (after dropping group/versions without schemas), or "derived" when it is a function of
   * the documents (an OpenAPI folder): their `hashes` then stand for it, and nothing needs parsing to know it.
   */
  discovery: DiscoveredGroupVersion[] | "derived";
  /** v2 only: the per group/version `hashes` cover subsets of one document; this is the hash of all of it. */
  v2DocumentHash?: string;
}

/**
 * Sources opened as far as their `inputs`, documents not yet parsed (nor, for a cluster whose `/openapi/v3`
 * index names them by hash, fetched or read from the cache): an unchanged regeneration stops there.
 */
export interface OpenedSources {
  inputs: SourceInputs;
  /**
   * Reads and parses the documents (once; later calls share the result). `inputs` are those found then,
   * which differ from the opened ones when a document failed or its hash went stale in between.
   */
  load(): Promise<{ sources: SourceSet; inputs: SourceInputs }>;
  /** Releases the connection `load` needs; call it whether or not `load` was. */
  close(): Promise<void>;
}

/** The SourceSet of `inputs` once their documents (and the discovery they imply, if derived) are at hand. */
export function withDocuments(inputs: SourceInputs, groupVersions: DiscoveredGroupVersion[], openapi: OpenApiSource): SourceSet {
  const { discovery: _discovery, openapi: _kind, v2DocumentHash: _v2, ...common } = inputs;
  return { ...common, groupVersions, openapi };
}

export { groupVersionKey } from "../../runtime/core/group-version.js";
