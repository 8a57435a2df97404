// Metadata-only reads of a resource (PartialObjectMetadata), as client-go's metadata client: for large collections and owned objects.
import type { ResourceDescriptor } from "../api/descriptor.js";
import { toPartialMetadata, type PartialObjectMetadata } from "../api/metadata.js";
import type { ResourceList } from "../api/objects.js";
import type { ReadView } from "../request/build.js";
import type { RestClient } from "../rest/types.js";
import type { WatchEvent } from "../watch/decode.js";
import { marksStreamingLists } from "../watch/watcher.js";
import type { AnyOptions } from "./context.js";
import { createResourceContext } from "./context.js";
import type { MetadataClient } from "./metadata-types.js";
import { pagingMethods } from "./paging.js";
import { getVerb, listVerb, watchVerb } from "./read-verbs.js";

const METADATA_ONLY: ReadView = { metadataOnly: true };

/**
 * The metadata client for `descriptor`: `get`, `list` (with `listAll`/`listPages`) and `watch` where the descriptor
 * lists them, each answering `PartialObjectMetadata` — the server leaves spec and status out. A server that
 * cannot convert (some aggregated APIs) answers whole objects, which are trimmed here, so callers always see
 * the same shape. Its `list` and `watch` fit `createInformer`.
 */
export function createMetadataClient<const R extends ResourceDescriptor>(rest: RestClient, descriptor: R, defaultNamespace: string): MetadataClient<R> {
  const context = createResourceContext(rest, descriptor, defaultNamespace);
  const client: Record<string, unknown> = { descriptor };
  const { verbs } = descriptor;
  if (verbs.includes("get")) {
    const get = getVerb(context, undefined, METADATA_ONLY);
    client.get = async (name: string, options?: AnyOptions) => toPartialMetadata(await get(name, options));
  }
  if (verbs.includes("list")) {
    const list = listVerb(context, METADATA_ONLY);
    const trimmedList = async (options?: AnyOptions) => trimList(await list(options));
    Object.assign(client, { list: trimmedList }, pagingMethods(context, trimmedList));
  }
  if (verbs.includes("watch")) {
    const watch = watchVerb(context, METADATA_ONLY);
    client.watch = marksStreamingLists((options?: AnyOptions) => trimEvents(watch(options) as AsyncIterable<WatchEvent<unknown>>));
  }
  return Object.freeze(client) as MetadataClient<R>;
}

function trimList(list: ResourceList<unknown>): ResourceList<PartialObjectMetadata> {
  if (list.kind === "PartialObjectMetadataList") return list as ResourceList<PartialObjectMetadata>;
  return { ...list, apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadataList", items: (list.items ?? []).map(toPartialMetadata) };
}

/** Watch events with their objects trimmed to metadata; ERROR events keep their Status. */
async function* trimEvents(events: AsyncIterable<WatchEvent<unknown>>): AsyncGenerator<WatchEvent<PartialObjectMetadata>, void, undefined> {
  for await (const event of events) {
    yield (event.type === "ERROR" ? event : { ...event, object: toPartialMetadata(event.object) }) as WatchEvent<PartialObjectMetadata>;
  }
}
