// The JSON subresources of a resource client (status, scale, eviction, token), each with exactly its listed verbs.
import type { SubresourceDescriptor } from "../api/descriptor.js";
import { buildRequest, type ResourceRequest } from "../request/build.js";
import { apiVersionOf } from "../core/group-version.js";
import { withTypeMeta } from "./body.js";
import { queryFrom } from "./call-options.js";
import type { AnyOptions, ResourceContext } from "./context.js";
import { getVerb } from "./read-verbs.js";
import type { SubresourceVerb } from "./resource-types.js";
import { patchVerb, updateVerb } from "./write-verbs.js";

const SUBRESOURCE_VERBS: ReadonlySet<string> = new Set<SubresourceVerb>(["get", "create", "update", "patch"]);

/** The client of subresource `name`: its listed verbs among get, create (on a parent), update and patch. */
export function createSubresourceClient(context: ResourceContext, name: string, subresource: SubresourceDescriptor): Record<string, unknown> {
  const { descriptor } = context;
  const apiVersion = apiVersionOf(subresource.group ?? descriptor.group, subresource.version ?? descriptor.version);
  const methods: Record<SubresourceVerb, () => unknown> = {
    get: () => getVerb(context, name),
    // A subresource body has its own kind (Scale), or the parent's (status).
    update: () => updateVerb(context, name, { apiVersion, kind: subresource.kind ?? descriptor.kind }),
    patch: () => patchVerb(context, name),
    create: () => async (parent: string, body: unknown, options?: AnyOptions) => {
      const request: ResourceRequest = { verb: "create", name: parent, body: withTypeMeta(body, apiVersion, subresource.kind), query: queryFrom(options) };
      return context.send(buildRequest(context.target(context.namespaceFor(options), name), request), options);
    },
  };
  const client: Record<string, unknown> = {};
  for (const verb of subresource.verbs) if (SUBRESOURCE_VERBS.has(verb)) client[verb] = methods[verb as SubresourceVerb]();
  return Object.freeze(client);
}
