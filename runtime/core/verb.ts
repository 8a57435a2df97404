// The verbs of a resource, named alike by the generator's model (from discovery) and the runtime's descriptors.

/** The verbs Kubernetes discovery lists for a resource or subresource. */
export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";
