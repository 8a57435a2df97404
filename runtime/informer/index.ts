export { createInformer, type Informer, type InformerHandlers, type InformerOptions, type InformerSource } from "./informer.js";
export { ObjectStore, objectKey, type StoreDiff } from "./store.js";
export { dropManagedFields } from "./transforms.js";
