// kubetyped's programmatic API: the same pipeline the CLI runs.
export { generate, snapshot, diffApis } from "./generate.js";
export type { GenerateOptions, GenerateResult, SnapshotOptions, SnapshotResult, SourceOptions } from "./generate.js";
export { main } from "./cli.js";
export type { CliIo } from "./cli.js";
export {
  loadSources,
  createSnapshotFetcher,
  createRecordingFetcher,
  createTransportFetcher,
  discoverApi,
  loadOpenApi,
  SourceError,
  DISCOVERY_ACCEPT,
  groupVersionKey,
} from "./sources/index.js";
export type {
  LoadSourcesOptions,
  DocumentFetcher,
  FetchedDocument,
  GeneratorLog,
  SourceSet,
  DiscoveredGroupVersion,
  DiscoveredResource,
  DiscoveredSubresource,
  SkippedGroupVersion,
  ServerVersion,
  OpenApiSource,
} from "./sources/index.js";
export { buildModel, summarizeModel, ModelError } from "./model/index.js";
export type { ApiModel, ModelSummary } from "./model/index.js";
export { emitModules } from "./emit/index.js";
export type { GeneratedFile, EmitOptions } from "./emit/index.js";
export { writeOutput, readManifest, compareSummaries, formatChangeReport, WriteError, PRETTIER_OPTIONS } from "./write/index.js";
export type { Manifest, ChangeReport, ChangeEntry, FileChange, WriteOutputOptions, WriteOutputResult } from "./write/index.js";
export { GENERATOR_VERSION, RUNTIME_VERSION_RANGE } from "./version.js";
export { defaultOpenApiCacheDir } from "./cache/cache-dir.js";
export { createDocumentCache } from "./cache/document-cache.js";
export type { DocumentCache, DocumentCacheStats } from "./cache/document-cache.js";
export { createCachingFetcher } from "./sources/caching-fetcher.js";
