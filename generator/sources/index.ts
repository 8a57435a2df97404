import { readdir, stat } from "node:fs/promises";
import type { ClusterConnection } from "../../runtime/core/connection.js";
import type { DocumentCache } from "../cache/document-cache.js";
import { createCachingFetcher } from "./caching-fetcher.js";
import { discoverApi, type DiscoveryResult } from "./discovery.js";
import { SourceError } from "./errors.js";
import type { DocumentFetcher } from "./fetcher.js";
import { parseGroupSelection } from "./group-selection.js";
import { parseJsonDocument } from "./json.js";
import type { GeneratorLog } from "./log.js";
import { openOpenApi } from "./openapi.js";
import { createRecordingFetcher } from "./recording-fetcher.js";
import { createSnapshotFetcher } from "./snapshot-fetcher.js";
import { mayHaveSelectableFields, readSelectableFields, withSelectableFields } from "./selectable-fields.js";
import { createTransportFetcher } from "./transport-fetcher.js";
import { refusingUnauthorized } from "./credentials.js";
import { apiVersionOf } from "../../runtime/core/group-version.js";
import {
  withDocuments,
  type DiscoveredGroupVersion,
  type OpenedSources,
  type ServerVersion,
  type SkippedGroupVersion,
  type SourceInputs,
  type SourceSet,
} from "./types.js";

export interface LoadSourcesOptions {
  /** A live cluster (from `resolveConnection`). */
  connection?: ClusterConnection | undefined;
  /** A snapshot folder to replay instead of a cluster. */
  from?: string | undefined;
  /** Any other document source (tests, caches); wins over `connection` and `from`. */
  fetcher?: DocumentFetcher | undefined;
  /** `--groups` entries: `batch`, `apps/v1`, `core/v1`. Empty or absent: everything served. */
  groups?: string[] | undefined;
  /** Record every document read into this snapshot folder. */
  record?: string | undefined;
  /**
   * Disk cache of OpenAPI documents by content hash: hashed documents already there are not fetched.
   * Absent: no cache. Recording (`record`) still sees every document, cached or fetched.
   */
  cache?: DocumentCache | undefined;
  /** Requests kept in flight for the legacy discovery walk and OpenAPI v3 documents. */
  concurrency?: number | undefined;
  /**
   * Keep only `components.schemas` of each OpenAPI v3 document (after checking its references): the model
   * reads nothing else, and the paths are a third of a CRD document. Generation sets it; the default keeps all.
   */
  schemasOnly?: boolean | undefined;
  log?: GeneratorLog | undefined;
}

/** Reads discovery, OpenAPI and `/version` from a cluster or a snapshot, for the chosen group/versions. */
export async function loadSources(options: LoadSourcesOptions): Promise<SourceSet> {
  const opened = await openSources(options);
  try {
    return (await opened.load()).sources;
  } finally {
    await opened.close();
  }
}

/**
 * Reads what generation depends on without parsing any OpenAPI document when that can wait: an OpenAPI
 * folder's files are hashed, a cluster's (or snapshot's) `/openapi/v3` index names its documents by hash.
 * Discovery, `/version` and the index are read every time; documents are fetched (or taken from the cache)
 * by `load`, at once when only they tell their hashes (the 1.23 index, `/openapi/v2`) or when recording.
 */
export async function openSources(options: LoadSourcesOptions): Promise<OpenedSources> {
  if (options.fetcher === undefined && options.from !== undefined && (await isOpenApiV3Folder(options.from))) {
    if (options.record !== undefined) throw new SourceError("an OpenAPI v3 folder cannot be recorded as a snapshot", { url: options.from });
    options.log?.progress?.(`reading the OpenAPI v3 folder ${options.from} (discovery derived from its paths)`);
    const { openOpenApiV3Folder } = await import("./openapi-folder.js");
    return openOpenApiV3Folder(options.from);
  }
  const { fetcher, close } = await openFetcher(options);
  try {
    const cached = options.cache === undefined ? fetcher : createCachingFetcher(fetcher, options.cache, (message) => options.log?.warn?.(message));
    return { ...(await readSources(options.record === undefined ? cached : createRecordingFetcher(cached, options.record), options)), close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function openFetcher(options: LoadSourcesOptions): Promise<{ fetcher: DocumentFetcher; close: () => Promise<void> }> {
  if (options.fetcher !== undefined) return { fetcher: options.fetcher, close: async () => {} };
  if (options.from !== undefined) {
    await assertSnapshotFolder(options.from);
    return { fetcher: createSnapshotFetcher(options.from), close: async () => {} };
  }
  if (options.connection !== undefined) {
    // Loaded on demand: replaying a snapshot needs no HTTP stack.
    const { createTransport } = await import("../../runtime/entries/plumbing.js");
    const transport = createTransport(options.connection);
    const fetcher = refusingUnauthorized(createTransportFetcher(transport, options.connection.server), transport);
    return { fetcher, close: async () => transport.close() };
  }
  throw new SourceError("no source given: pass a cluster connection or a snapshot folder (--from DIR)", { url: "(none)" });
}

const FROM_TAKES = "--from takes a snapshot folder (`npx kubetyped snapshot --out DIR` records one) or an OpenAPI v3 folder (api/v1.json, apis/<group>/<version>.json)";
/** Files every snapshot has at its root (discovery or /version); an OpenAPI v3 folder has `api/` or `apis/` instead. */
const SNAPSHOT_ROOT_FILES = ["api.json", "api.aggregated.json", "apis.json", "apis.aggregated.json", "version.json"];

/** A --from path that is not a snapshot is said as what it is (missing, a file, empty, something else), before any read. */
async function assertSnapshotFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => undefined);
  if (info === undefined) throw new SourceError(`no such folder; ${FROM_TAKES}`, { url: folder });
  if (!info.isDirectory()) throw new SourceError(`is a file, not a folder; ${FROM_TAKES}`, { url: folder });
  const entries = await readdir(folder);
  if (entries.length === 0) throw new SourceError(`is an empty folder; ${FROM_TAKES}`, { url: folder });
  if (!SNAPSHOT_ROOT_FILES.some((name) => entries.includes(name))) {
    throw new SourceError(`holds neither a snapshot (version.json, api.json, apis.json) nor an OpenAPI v3 folder (api/, apis/); ${FROM_TAKES}`, { url: folder });
  }
}

async function readSources(fetcher: DocumentFetcher, options: LoadSourcesOptions): Promise<Omit<OpenedSources, "close">> {
  const log = options.log ?? {};
  const selection = parseGroupSelection(options.groups);
  const progressOptions = {
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(log.progress === undefined ? {} : { onProgress: (message: string) => log.progress?.(message) }),
  };
  log.progress?.(`reading /version, /api and /apis from ${fetcher.origin}`);
  const [serverVersion, discovered, selectable] = await Promise.all([
    readServerVersion(fetcher),
    discoverApi(fetcher, { selection, ...progressOptions }),
    readSelectableFields(fetcher),
  ]);
  const discovery = withCrdFacts(discovered, selectable, serverVersion);
  const openapi = await openOpenApi(fetcher, discovery.groupVersions, { ...progressOptions, ...(options.schemasOnly && { schemasOnly: true }) });
  const describe = (found: { hashes: Map<string, string>; skipped: SkippedGroupVersion[]; v2DocumentHash?: string }) =>
    describeSources(fetcher.origin, serverVersion, discovery, { kind: openapi.kind, ...found });
  let loading: ReturnType<OpenedSources["load"]> | undefined;
  const load = () =>
    (loading ??= openapi.load().then((result) => {
      const { inputs, groupVersions } = describe(result);
      return { sources: withDocuments(inputs, groupVersions, result.openapi), inputs };
    }));
  // Recording must see every document; without hashes in the index only the documents tell the inputs.
  const known = options.record === undefined ? openapi.known : undefined;
  const { inputs } = known === undefined ? await load() : describe(known);
  for (const warning of inputs.warnings) log.warn?.(warning);
  return {
    inputs,
    // Documents failing only now add warnings: said then, the others were said already.
    load: async () => {
      const loaded = await load();
      for (const warning of loaded.inputs.warnings) if (!inputs.warnings.includes(warning)) log.warn?.(warning);
      return loaded;
    },
  };
}

/**
 * Discovery with the CRDs' selectable fields, and the warning when they could not be read from a server that may
 * have them (1.30 on, or unknown): before 1.30 no CRD has any, so there is nothing to say.
 */
function withCrdFacts(discovery: DiscoveryResult, selectable: Awaited<ReturnType<typeof readSelectableFields>>, version: ServerVersion | undefined): DiscoveryResult {
  const groupVersions = withSelectableFields(discovery.groupVersions, selectable.fields);
  const said = selectable.warning !== undefined && mayHaveSelectableFields(version);
  return { ...discovery, groupVersions, warnings: said ? [...discovery.warnings, selectable.warning!] : discovery.warnings };
}

/** The inputs of a cluster or snapshot read: discovery without the group/versions OpenAPI does not describe. */
function describeSources(
  origin: string,
  serverVersion: ServerVersion | undefined,
  discovery: DiscoveryResult,
  openapi: { kind: SourceInputs["openapi"]; hashes: Map<string, string>; skipped: SkippedGroupVersion[]; v2DocumentHash?: string },
): { inputs: SourceInputs; groupVersions: DiscoveredGroupVersion[] } {
  const withoutSchemas = new Set(openapi.skipped.map((entry) => entry.groupVersion));
  const groupVersions = discovery.groupVersions.filter(
    (gv) => !withoutSchemas.has(apiVersionOf(gv.group, gv.version)),
  );
  const warnings = [...discovery.warnings, ...openapi.skipped.map((entry) => `skipped ${entry.groupVersion}: ${entry.reason}`)];
  if (serverVersion === undefined) warnings.push(`/version did not answer; the manifest will not name the cluster version`);
  const inputs: SourceInputs = {
    origin,
    discovery: groupVersions,
    openapi: openapi.kind,
    hashes: openapi.hashes,
    skipped: [...discovery.skipped, ...openapi.skipped],
    warnings,
  };
  if (serverVersion !== undefined) inputs.serverVersion = serverVersion;
  if (openapi.v2DocumentHash !== undefined) inputs.v2DocumentHash = openapi.v2DocumentHash;
  return { inputs, groupVersions };
}

/**
 * `--from` also accepts a folder of `/openapi/v3` documents alone (`api/v1.json`, `apis/<g>/<v>.json`, as in
 * ../shared/k8s/openapi-v3/<version>): no discovery documents at the root, which every snapshot has.
 */
async function isOpenApiV3Folder(folder: string): Promise<boolean> {
  const entries = await readdir(folder).catch(() => [] as string[]);
  const hasDiscovery = SNAPSHOT_ROOT_FILES.some((name) => entries.includes(name));
  return !hasDiscovery && (entries.includes("api") || entries.includes("apis"));
}

async function readServerVersion(fetcher: DocumentFetcher): Promise<ServerVersion | undefined> {
  const answer = await fetcher.get("/version", "application/json");
  if (answer.status !== 200) return undefined;
  return parseJsonDocument<ServerVersion>(answer, "/version");
}

export { SourceError } from "./errors.js";
export { CredentialsRejectedError } from "./credentials.js";
export { DISCOVERY_ACCEPT, type DocumentFetcher, type FetchedDocument } from "./fetcher.js";
export { createSnapshotFetcher } from "./snapshot-fetcher.js";
export { createRecordingFetcher } from "./recording-fetcher.js";
export { createCachingFetcher, cacheableHash } from "./caching-fetcher.js";
export { createTransportFetcher, type DocumentTransport } from "./transport-fetcher.js";
export { discoverApi, type DiscoveryResult } from "./discovery.js";
export { loadOpenApi, openOpenApi, UNLISTED_REASON, type OpenApiResult, type OpenedOpenApi } from "./openapi.js";
export { parseGroupSelection, type GroupSelection } from "./group-selection.js";
export type { GeneratorLog } from "./log.js";
export * from "./types.js";
