// The JSON subresources of a resource client (status, scale, eviction, token), each with exactly its listed verbs.
import type { SubresourceDescriptor } from "../api/descriptor.js";
import type { ResourceContext } from "./context.js";
import { getVerb } from "./read-verbs.js";
import type { SubresourceVerb } from "./resource-types.js";
import { createOnVerb, patchVerb, updateVerb } from "./write-verbs.js";

const SUBRESOURCE_VERBS: ReadonlySet<string> = new Set<SubresourceVerb>(["get", "create", "update", "patch"]);

/** The client of subresource `name`: its listed verbs among get, create (on a parent), update and patch. */
export function createSubresourceClient(context: ResourceContext, name: string, subresource: SubresourceDescriptor): Record<string, unknown> {
  // A subresource body has its own kind (Scale, Eviction) or the parent's (status): the request base knows which.
  const methods: Record<SubresourceVerb, () => unknown> = {
    get: () => getVerb(context, name),
    update: () => updateVerb(context, name),
    patch: () => patchVerb(context, name),
    create: () => createOnVerb(context, name),
  };
  const client: Record<string, unknown> = {};
  for (const verb of subresource.verbs) if (SUBRESOURCE_VERBS.has(verb)) client[verb] = methods[verb as SubresourceVerb]();
  return Object.freeze(client);
}
