export { createInformer, type Informer, type InformerHandlers, type InformerOptions, type InformerSource, type InformerSettings, type InformerListOptions, type InformerWatchOptions } from "./informer.js";
export { ObjectStore, objectKey, type StoreDiff } from "./store.js";
export { dropManagedFields } from "./transforms.js";
export { RelistLoopError } from "../watch/relist-backoff.js";
