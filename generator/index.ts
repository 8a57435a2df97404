// kubetyped's programmatic API: the same pipeline the CLI runs.
export { generate } from "./generate.js";
export type { GenerateOptions, GenerateResult, GeneratedTarget, SourceOptions } from "./generate.js";
export { snapshot, diffApis } from "./snapshot.js";
export type { SnapshotOptions, SnapshotResult } from "./snapshot.js";
export type { TargetSource, CarriedGroups } from "./targets.js";
export { checkAgainst, CheckError } from "./check/index.js";
export type { CheckOptions, CheckResult, CheckProblem, TargetCheck } from "./check/index.js";
export { main } from "./cli/main.js";
export type { CliIo } from "./cli/main.js";
export {
  loadSources,
  createSnapshotFetcher,
  createRecordingFetcher,
  createTransportFetcher,
  discoverApi,
  loadOpenApi,
  SourceError,
  CredentialsRejectedError,
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
export { buildModel, summarizeModel, ModelError, intersectModels, commonType, describeOmissions } from "./model/index.js";
export type { ApiModel, ModelSummary, Omission } from "./model/index.js";
export { emitModules, PRETTIER_OPTIONS } from "./emit/index.js";
export type { GeneratedFile, EmitOptions } from "./emit/index.js";
export { writeOutput, readManifest, WriteError } from "./write/index.js";
export { compareSummaries } from "./model/index.js";
export { formatChangeReport, formatOmissions } from "./cli/report.js";
export type { Manifest, ManifestTarget, FileChange, WriteOutputOptions, WriteOutputResult } from "./write/index.js";
export type { ChangeReport, ChangeEntry } from "./model/index.js";
export { GENERATOR_VERSION, RUNTIME_VERSION_RANGE } from "./version.js";
export { defaultOpenApiCacheDir } from "./cache/cache-dir.js";
export { createDocumentCache } from "./cache/document-cache.js";
export type { DocumentCache, DocumentCacheStats } from "./cache/document-cache.js";
export { createCachingFetcher } from "./sources/caching-fetcher.js";
