export { createResourceClient } from "./resource-client.js";
export { createMetadataClient } from "./metadata-client.js";
export type { MetadataClient, MetadataClientWith, MetadataVerbMethods } from "./metadata-types.js";
export { createNonResourceApi, buildLogsPath, type NonResourceApi, type VersionInfo, type APIVersions, type APIGroupList, type HealthOptions } from "./nonresource.js";
export type * from "./resource-types.js";
export type * from "./streaming-types.js";
export type * from "./scope-types.js";
