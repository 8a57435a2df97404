// The run-time half of `ResourceClient<R>`: an object holding exactly a descriptor's verbs, assembled from the verb families.
import type { ResourceDescriptor, Verb } from "../api/descriptor.js";
import { requestPath } from "../request/build.js";
import { RequestValidationError } from "../request/validation.js";
import type { RestClient } from "../rest/types.js";
import { validationMethods, type ValidateMode } from "../validate/attach.js";
import type { AnyOptions, ResourceContext } from "./context.js";
import { createResourceContext } from "./context.js";
import { deleteCollectionVerb, deleteVerb } from "./delete-verbs.js";
import { pagingMethods } from "./paging.js";
import { getVerb, listVerb, watchVerb } from "./read-verbs.js";
import type { ClientScopeOf, ClientWith, ObjectTypeOf, SubresourcesOf, VerbsOf } from "./resource-types.js";
import type { StreamingSubresource } from "./streaming-types.js";
import { createStreamingMethods } from "./streaming.js";
import { createSubresourceClient } from "./subresources.js";
import { applyVerb, createVerb, patchVerb, updateVerb } from "./write-verbs.js";

const ALL_VERBS: ReadonlySet<Verb> = new Set(["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]);
// Kept in step with the `StreamingSubresource` type: these need upgrades or text, not JSON.
const STREAMING_SUBRESOURCES: ReadonlySet<string> = new Set<StreamingSubresource>(["exec", "attach", "portforward", "proxy", "log"]);

/**
 * The client for `descriptor`: exactly its verbs as methods, `apply` when it can patch, `listAll`/`listPages`
 * when it can list, one property per JSON subresource and methods for the streaming ones. The descriptor is
 * checked once, here (its request base); every method builds its request with the pure `buildRequest` from
 * that base and sends it through `rest`. Methods that answer a promise reject it for
 * bad arguments too (never throw synchronously); `watch` and `listAll` throw at the call, since their iterables
 * have no promise to reject.
 */
export function createResourceClient<const R extends ResourceDescriptor>(
  rest: RestClient,
  descriptor: R,
  defaultNamespace: string,
  validate: ValidateMode = "off",
): ClientWith<VerbsOf<R>, ObjectTypeOf<R>, ClientScopeOf<R>, SubresourcesOf<R>> {
  const context = createResourceContext(rest, descriptor, defaultNamespace);
  const client: Record<string, unknown> = { descriptor, ...verbMethods(context) };
  for (const [name, subresource] of Object.entries(descriptor.subresources ?? {})) {
    if (STREAMING_SUBRESOURCES.has(name)) continue;
    if (name in client) throw new RequestValidationError("descriptor.subresources", `subresource "${name}" collides with a method of ${context.base.label}`);
    client[name] = createSubresourceClient(context, name, subresource);
  }
  // log, exec, attach, portforward: WebSocket and text streams, built in runtime/stream.
  const subresourcePath = (name: string, subresource: string, options: AnyOptions | undefined) => requestPath(context.base, options, name, subresource);
  Object.assign(client, createStreamingMethods(rest, descriptor, subresourcePath));
  // validate(), and with "before-send" create/update/apply checked first (runtime/validate).
  Object.assign(client, validationMethods(client, descriptor, validate));
  return Object.freeze(client) as ClientWith<VerbsOf<R>, ObjectTypeOf<R>, ClientScopeOf<R>, SubresourcesOf<R>>;
}

/** The methods of the descriptor's verbs, plus `apply` with patch and the paging methods with list. */
function verbMethods(context: ResourceContext): Record<string, unknown> {
  const { verbs } = context.descriptor;
  const list = listVerb(context);
  const families: Record<Verb, () => unknown> = {
    get: () => getVerb(context),
    list: () => list,
    watch: () => watchVerb(context),
    create: () => createVerb(context),
    update: () => updateVerb(context),
    patch: () => patchVerb(context),
    delete: () => deleteVerb(context),
    deletecollection: () => deleteCollectionVerb(context),
  };
  const methods: Record<string, unknown> = {};
  for (const verb of verbs) {
    if (!ALL_VERBS.has(verb)) throw new RequestValidationError("descriptor.verbs", `${JSON.stringify(verb)} is not a Kubernetes verb (${context.base.label})`);
    methods[verb] = families[verb]();
  }
  if (verbs.includes("patch")) methods.apply = applyVerb(context);
  if (verbs.includes("list")) Object.assign(methods, pagingMethods(context, list));
  return methods;
}
