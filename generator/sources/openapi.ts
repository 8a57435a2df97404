import { createHash } from "node:crypto";
import type { OpenAPIV2, OpenAPIV3 } from "openapi-types";
import { canonicalJson } from "./canonical-json.js";
import { mapWithConcurrency } from "./concurrency.js";
import { SourceError } from "./errors.js";
import type { DocumentFetcher, FetchedDocument } from "./fetcher.js";
import { parseJsonDocument } from "./json.js";
import { assertRefsResolve } from "./refs.js";
import { assertOpenApiShape } from "./document-shape.js";
import { groupVersionKey, type DiscoveredGroupVersion, type OpenApiSource, type SkippedGroupVersion } from "./types.js";
import { apiVersionOf, groupVersionUrlPath } from "../../runtime/core/group-version.js";

export interface OpenApiResult {
  openapi: OpenApiSource;
  hashes: Map<string, string>;
  /** Group/versions discovery served but OpenAPI does not describe (dropped from generation). */
  skipped: SkippedGroupVersion[];
  /** v2 only: hash of the whole document. */
  v2DocumentHash?: string;
}

/** OpenAPI as far as its index: what the documents will be, by hash, before any is fetched. */
export interface OpenedOpenApi {
  kind: OpenApiSource["kind"];
  /**
   * The documents' hashes and the group/versions the index does not list, when the index alone tells them
   * (from 1.24 it names each document by hash); absent when only the documents do (the 1.23 index, v2).
   */
  known?: { hashes: Map<string, string>; skipped: SkippedGroupVersion[] };
  /** Fetches and parses the documents. */
  load(): Promise<OpenApiResult>;
}

/**
 * `/openapi/v3`: `{"paths": {"apis/batch/v1": {"serverRelativeURL": "/openapi/v3/apis/batch/v1?hash=..."}}}`
 * from 1.24; the 1.23 form lists names only, `{"Paths": ["apis/batch/v1", ...]}`, without hashes.
 */
interface OpenApiV3Index {
  paths?: Record<string, { serverRelativeURL?: string }>;
  Paths?: string[];
}

export interface OpenApiOptions {
  /** Documents fetched at once. */
  concurrency?: number;
  onProgress?: (message: string) => void;
  /** Keep only `components.schemas` of each document (see `LoadSourcesOptions.schemasOnly`). */
  schemasOnly?: boolean;
}

/** A group/version the index lists, and where it said to fetch it. */
interface ListedDocument {
  gv: DiscoveredGroupVersion;
  key: string;
  indexKey: string;
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Why a group/version discovery serves is skipped when the index does not list it (yet: a CRD created a moment ago). */
export const UNLISTED_REASON = "/openapi/v3 does not list";

/**
 * Loads the schemas of the chosen group/versions: from `/openapi/v3` (one document each, fetched in
 * parallel, only those asked for), else once from `/openapi/v2` when v3 answers 404 (servers before 1.23).
 */
export async function loadOpenApi(
  fetcher: DocumentFetcher,
  groupVersions: readonly DiscoveredGroupVersion[],
  options: OpenApiOptions = {},
): Promise<OpenApiResult> {
  return (await openOpenApi(fetcher, groupVersions, options)).load();
}

/** Reads the `/openapi/v3` index only; `load` fetches what it lists (or `/openapi/v2` when there is no index). */
export async function openOpenApi(
  fetcher: DocumentFetcher,
  groupVersions: readonly DiscoveredGroupVersion[],
  options: OpenApiOptions = {},
): Promise<OpenedOpenApi> {
  const index = await fetcher.get("/openapi/v3", "application/json");
  if (index.status === 404) return { kind: "v2", load: () => loadOpenApiV2(fetcher, groupVersions) };
  const urls = documentUrls(index, fetcher.origin);
  const listed: ListedDocument[] = [];
  const unlisted: SkippedGroupVersion[] = [];
  for (const gv of groupVersions) {
    const indexKey = groupVersionUrlPath(gv.group, gv.version).slice(1); // the /openapi/v3 index names them without the leading slash
    const url = urls.get(indexKey);
    if (url === undefined) unlisted.push({ groupVersion: displayName(gv), reason: `${UNLISTED_REASON} ${indexKey}` });
    else listed.push({ gv, key: groupVersionKey(gv.group, gv.version), indexKey, url });
  }
  assertListsCore(unlisted, fetcher.origin);
  const load = () => fetchDocuments(fetcher, listed, unlisted, groupVersions.length, options);
  const hashes = new Map<string, string>();
  for (const { key, url } of listed) {
    const hash = hashFromUrl(url);
    if (hash === undefined) return { kind: "v3", load };
    hashes.set(key, hash);
  }
  return { kind: "v3", known: { hashes: sortedMap(hashes), skipped: sortedSkips(unlisted) }, load };
}

/**
 * Every server serves the core group: an index that leaves out api/v1 while discovery lists it is broken or
 * cut short (a proxy, a hand-edited snapshot), and skipping core/v1 would drop most of the API with a warning.
 */
function assertListsCore(unlisted: readonly SkippedGroupVersion[], origin: string): void {
  if (!unlisted.some((entry) => entry.groupVersion === "v1")) return;
  throw new SourceError(
    `the OpenAPI v3 index of ${origin} does not list api/v1, which discovery serves and every Kubernetes server describes; ` +
      "the index is broken or cut short (a proxy in between? a snapshot edited by hand?) — nothing was written",
    { url: "/openapi/v3" },
  );
}

async function fetchDocuments(
  fetcher: DocumentFetcher,
  listed: readonly ListedDocument[],
  unlisted: readonly SkippedGroupVersion[],
  total: number,
  options: OpenApiOptions,
): Promise<OpenApiResult> {
  const rereadIndex = indexRereads(fetcher, options);
  const documents = new Map<string, OpenAPIV3.Document>();
  const hashes = new Map<string, string>();
  const skipped = [...unlisted];
  let done = 0;
  await mapWithConcurrency(listed, options.concurrency ?? 8, async ({ gv, key, indexKey, url: listedUrl }) => {
    let url: string | undefined = listedUrl;
    let answer = await fetcher.get(url, "application/json");
    for (let reread = 0; REDIRECTS.has(answer.status); reread++) {
      if (reread === INDEX_REREADS) {
        throw new SourceError(
          `still redirected (HTTP ${answer.status}) after reading /openapi/v3 again ${INDEX_REREADS} times (first ${listedUrl}); the API is changing under us (an upgrade or a CRD being installed?) — run again once it settles`,
          { url },
        );
      }
      url = (await rereadIndex(reread)).get(indexKey);
      if (url === undefined) {
        skipped.push({ groupVersion: displayName(gv), reason: `/openapi/v3 no longer lists ${indexKey}` });
        return;
      }
      answer = await fetcher.get(url, "application/json");
    }
    options.onProgress?.(`openapi ${++done}/${total} ${key}`);
    if (answer.status !== 200) {
      skipped.push({ groupVersion: displayName(gv), reason: `HTTP ${answer.status} from ${url}` });
      return;
    }
    const document = parseJsonDocument<OpenAPIV3.Document>(answer, url);
    assertOpenApiShape(document, url, "v3");
    assertRefsResolve(document, url);
    documents.set(key, options.schemasOnly ? schemasOf(document) : document);
    // Without a server hash (the 1.23 index) the content itself is hashed.
    hashes.set(key, hashFromUrl(url) ?? sha256(answer.body));
  });
  return { openapi: { kind: "v3", documents: sortedMap(documents) }, hashes: sortedMap(hashes), skipped: sortedSkips(skipped) };
}

/** How often one generation reads /openapi/v3 again when documents keep moving, and how long it waits between. */
const INDEX_REREADS = 5;
const REREAD_PAUSE_MS = 1_000;

/**
 * A document's hash can go stale between reading the index and fetching it (the server answers 301 to the new
 * hash; undici does not follow redirects), and a group's document changes a few times in a row while its CRDs are
 * being installed. The index is then read again: at once the first time, then after a pause, each reread shared
 * by every document that needs it, and bounded for the whole run.
 */
function indexRereads(fetcher: DocumentFetcher, options: OpenApiOptions): (reread: number) => Promise<Map<string, string>> {
  const rereads: Array<Promise<Map<string, string>>> = [];
  return (reread) =>
    (rereads[reread] ??= (async () => {
      if (reread > 0) {
        options.onProgress?.(`the OpenAPI documents are still changing; reading /openapi/v3 again in ${REREAD_PAUSE_MS / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, REREAD_PAUSE_MS));
      }
      return documentUrls(await fetcher.get("/openapi/v3", "application/json"), fetcher.origin);
    })());
}

/** The document without its paths: what the model reads. */
function schemasOf(document: OpenAPIV3.Document): OpenAPIV3.Document {
  const schemas = document.components?.schemas;
  return { openapi: document.openapi, info: document.info, paths: {}, ...(schemas && { components: { schemas } }) };
}

/** Index entry (`apis/batch/v1`) → URL to fetch it from, from either form of the index. */
function documentUrls(index: FetchedDocument, origin: string): Map<string, string> {
  if (index.status !== 200) {
    throw new SourceError(`OpenAPI v3 index answered HTTP ${index.status} from ${origin}; check that the user may read /openapi/v3`, { url: "/openapi/v3" });
  }
  const parsed = parseJsonDocument<OpenApiV3Index>(index, "/openapi/v3");
  if (Array.isArray(parsed.Paths)) {
    return new Map(parsed.Paths.filter((entry): entry is string => typeof entry === "string").map((entry) => [entry, `/openapi/v3/${entry}`]));
  }
  if (parsed.paths === undefined || typeof parsed.paths !== "object") {
    throw new SourceError("expected `paths` (or the 1.23 `Paths` list) in the OpenAPI v3 index", { url: "/openapi/v3", pointer: "/paths" });
  }
  return new Map(Object.entries(parsed.paths).map(([entry, value]) => [entry, value?.serverRelativeURL ?? `/openapi/v3/${entry}`]));
}

async function loadOpenApiV2(fetcher: DocumentFetcher, groupVersions: readonly DiscoveredGroupVersion[]): Promise<OpenApiResult> {
  const answer = await fetcher.get("/openapi/v2", "application/json");
  if (answer.status !== 200) {
    throw new SourceError(`neither /openapi/v3 (404) nor /openapi/v2 (HTTP ${answer.status}) is served by ${fetcher.origin}`, {
      url: "/openapi/v2",
    });
  }
  const document = parseJsonDocument<OpenAPIV2.Document>(answer, "/openapi/v2");
  assertOpenApiShape(document, "/openapi/v2", "v2");
  assertRefsResolve(document, "/openapi/v2");
  const hashes = new Map<string, string>();
  const wholeDocument = sha256(answer.body);
  for (const gv of groupVersions) {
    hashes.set(groupVersionKey(gv.group, gv.version), hashDefinitionsOf(document, gv) ?? wholeDocument);
  }
  return { openapi: { kind: "v2", document }, hashes: sortedMap(hashes), skipped: [], v2DocumentHash: wholeDocument };
}

/**
 * v2 has one document for everything, so a per-group/version hash is computed from the definitions whose
 * `x-kubernetes-group-version-kind` names that group/version plus every definition they reach by `$ref`:
 * it changes exactly when that module's types can change. Undefined when no definition names it.
 */
function hashDefinitionsOf(document: OpenAPIV2.Document, gv: DiscoveredGroupVersion): string | undefined {
  const definitions = (document.definitions ?? {}) as Record<string, unknown>;
  const roots = Object.keys(definitions).filter((name) => {
    const gvks = (definitions[name] as { "x-kubernetes-group-version-kind"?: Array<{ group?: string; version?: string }> })[
      "x-kubernetes-group-version-kind"
    ];
    return Array.isArray(gvks) && gvks.some((gvk) => (gvk.group ?? "") === gv.group && gvk.version === gv.version);
  });
  if (roots.length === 0) return undefined;
  const reached = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (reached.has(name) || definitions[name] === undefined) continue;
    reached.add(name);
    for (const ref of collectRefs(definitions[name])) pending.push(ref);
  }
  const subset = Object.fromEntries([...reached].sort().map((name) => [name, definitions[name]]));
  return sha256(canonicalJson(subset));
}

function collectRefs(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, into);
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/definitions/")) into.push(value.slice("#/definitions/".length));
      else collectRefs(value, into);
    }
  }
  return into;
}

/** The `hash` query parameter of an index URL (`/openapi/v3/apis/batch/v1?hash=X` → `X`). */
export function hashFromUrl(url: string): string | undefined {
  const query = url.split("?")[1];
  return query === undefined ? undefined : (new URLSearchParams(query).get("hash") ?? undefined);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function displayName(gv: DiscoveredGroupVersion): string {
  return apiVersionOf(gv.group, gv.version);
}

function sortedSkips(skipped: readonly SkippedGroupVersion[]): SkippedGroupVersion[] {
  return [...skipped].sort((a, b) => (a.groupVersion < b.groupVersion ? -1 : a.groupVersion > b.groupVersion ? 1 : 0));
}

/** Maps in key order, so everything downstream iterates deterministically whatever order answers came in. */
function sortedMap<V>(map: Map<string, V>): Map<string, V> {
  return new Map([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
