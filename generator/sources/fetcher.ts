/** One answer of the API server (or of a snapshot standing in for it). */
export interface FetchedDocument {
  status: number;
  contentType?: string;
  body: string;
}

/**
 * Where the generator's documents come from: a live cluster, a snapshot folder, or a recorder around either.
 * `path` is the URL path relative to the server, query included (`/openapi/v3/apis/batch/v1?hash=X`).
 */
export interface DocumentFetcher {
  /** Describes the origin for messages (`https://127.0.0.1:6443`, `snapshot ./snap`). */
  readonly origin: string;
  get(path: string, accept?: string): Promise<FetchedDocument>;
}

/** The Accept header that asks for aggregated discovery first and falls back to the legacy lists. */
export const DISCOVERY_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," +
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList," +
  "application/json";

/** Whether an Accept header or a Content-Type names the aggregated discovery form. */
export function namesAggregatedDiscovery(mediaType: string | undefined): boolean {
  return mediaType !== undefined && /as=APIGroupDiscoveryList/.test(mediaType);
}
