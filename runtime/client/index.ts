export { defineResource, type ResourceDescriptor, type SubresourceDescriptor, type TypedResource, type ObjectOf, type SubresourceTypesOf, type Verb } from "./descriptor.js";
export { KubeClient, type KubeClientOptions, type RawRequest, type RequestTransport, type ResponseBody } from "./kube-client.js";
export { createResourceClient } from "./resource-client.js";
export type * from "./resource-types.js";
export type { KubeObject, ObjectMetaLike, ResourceList, Status, StatusCause, StatusDetails } from "./types.js";
