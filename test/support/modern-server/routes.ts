import type { ApiCatalog } from "./catalog.js";
import {
  aggregatedDiscoveryDocument,
  apiGroupDocument,
  apiGroupListDocument,
  apiResourceListDocument,
  apiVersionsDocument,
  type FreshnessOf,
} from "./discovery-documents.js";
import { goJson, kubeContentHash } from "./go-json.js";
import { acceptsJson, aggregatedContentType, negotiateDiscovery } from "./negotiation.js";
import { statusBody } from "./responses.js";
import { groupVersionString, servedPath, type ServedGroupVersion } from "./served-api.js";
import type { AggregatedDiscoveryVersion, ServedBehaviour } from "./versions.js";

/** What to answer; the server writes it (or stalls, or drops the connection). */
export interface Answer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface RouteContext {
  catalog: ApiCatalog;
  behaviour: ServedBehaviour;
  /** `host:port` for `serverAddressByClientCIDRs`. */
  serverAddress: string;
  startedAt: Date;
  isUnavailable: (gv: ServedGroupVersion) => boolean;
  freshnessOf: FreshnessOf;
}

const NOT_FOUND = "the server could not find the requested resource";

/** Answers one GET as a kube-apiserver of `behaviour.version` would. `url` has the query. */
export function answer(context: RouteContext, url: URL, headers: { accept?: string; ifNoneMatch?: string }): Answer {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (path === "/version") return json(200, versionDocument(context.behaviour));
  if (path === "/api" || path === "/apis") return discoveryRoot(context, path, headers);
  if (path === "/openapi/v3") return openApiIndex(context);
  if (path.startsWith("/openapi/v3/")) return openApiDocument(context, path.slice("/openapi/v3/".length), url, headers);
  if (path === "/openapi/v2") {
    // Shared data has no v2 document for these versions; a real server would serve one here.
    return failure(404, "NotFound", "the kubetyped test server serves no /openapi/v2 document; use /openapi/v3");
  }
  const segments = path.split("/").filter((segment) => segment !== "");
  if (segments[0] === "api" && segments.length === 2) return resourceList(context, segments[1]!);
  if (segments[0] === "apis" && segments.length === 2) return groupDocument(context, segments[1]!);
  if (segments[0] === "apis" && segments.length === 3) return resourceList(context, `${segments[1]}/${segments[2]}`);
  return notFound();
}

function versionDocument(behaviour: ServedBehaviour) {
  const [major, minor] = behaviour.version.split(".");
  return {
    major,
    minor,
    gitVersion: behaviour.gitVersion,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "1970-01-01T00:00:00Z",
    goVersion: "go (kubetyped test server)",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

function discoveryRoot(context: RouteContext, path: "/api" | "/apis", headers: { accept?: string; ifNoneMatch?: string }): Answer {
  const form = negotiateDiscovery(headers.accept, context.behaviour.aggregatedDiscovery);
  if (form.form === "not-acceptable") {
    return failure(406, "NotAcceptable", "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf");
  }
  if (form.form === "legacy") {
    return json(200, path === "/api" ? apiVersionsDocument(context.catalog, context.serverAddress) : apiGroupListDocument(context.catalog));
  }
  const { body, items } = path === "/apis" && context.catalog.recordedApis !== undefined ? recordedApis(context, form.version) : derivedRoot(context, path, form.version);
  // The ETag is computed over the discovery content, the same whichever version of it is sent.
  const etag = `"${kubeContentHash(goJson(items))}"`;
  const common = { ETag: etag, Vary: "Accept", "Cache-Control": "public" };
  if (headers.ifNoneMatch === etag) return { status: 304, contentType: aggregatedContentType(form.version), body: "", headers: common };
  return { status: 200, contentType: aggregatedContentType(form.version), body, headers: common };
}

function derivedRoot(context: RouteContext, path: "/api" | "/apis", version: AggregatedDiscoveryVersion): { body: string; items: unknown } {
  const groups = path === "/api" ? [{ name: "", versions: context.catalog.core }] : context.catalog.groups;
  const document = aggregatedDiscoveryDocument(groups, version, context.freshnessOf) as { items: unknown };
  return { body: goJson(document), items: document.items };
}

/**
 * `/apis` as the Kubernetes project recorded it: the recorded bytes themselves, unless a fault marks a
 * group/version Stale or CRD groups follow the built-in ones (then the recording's JSON with those changes).
 */
function recordedApis(context: RouteContext, version: AggregatedDiscoveryVersion): { body: string; items: unknown } {
  const text = context.catalog.recordedApis![version];
  const list = JSON.parse(text) as { items: Array<{ metadata: { name: string }; versions: Array<{ version: string; freshness?: string }> }> };
  const custom = context.catalog.groups.filter((group) => group.versions.some((gv) => gv.custom));
  const stale = list.items.flatMap((item) => item.versions.filter((entry) => isStale(context, item.metadata.name, entry.version)));
  if (custom.length === 0 && stale.length === 0) return { body: text, items: list.items };
  for (const entry of stale) entry.freshness = "Stale";
  const items = [...list.items, ...(aggregatedDiscoveryDocument(custom, version, context.freshnessOf) as { items: unknown[] }).items];
  return { body: goJson({ ...list, items }), items };
}

function isStale(context: RouteContext, group: string, version: string): boolean {
  const gv = context.catalog.byGroupVersion.get(`${group}/${version}`);
  return gv !== undefined && context.freshnessOf(gv) === "Stale";
}

function groupDocument(context: RouteContext, name: string): Answer {
  const group = context.catalog.groups.find((entry) => entry.name === name);
  if (group === undefined) return notFound();
  if (group.versions.some((gv) => context.isUnavailable(gv))) return unavailable(name);
  return json(200, apiGroupDocument(group));
}

function resourceList(context: RouteContext, groupVersion: string): Answer {
  const gv = context.catalog.byGroupVersion.get(groupVersion);
  if (gv === undefined) return notFound();
  if (context.isUnavailable(gv)) return unavailable(groupVersion);
  return json(200, apiResourceListDocument(gv));
}

function openApiIndex(context: RouteContext): Answer {
  const all = [...context.catalog.core, ...context.catalog.groups.flatMap((group) => group.versions)].filter((gv) => gv.openapi !== undefined);
  const keys = all.map((gv) => servedPath(gv)).sort();
  if (context.behaviour.openApiV3Index === "none") return notFound();
  if (context.behaviour.openApiV3Index === "names") return json(200, { Paths: keys });
  const byKey = new Map(all.map((gv) => [servedPath(gv), gv]));
  const paths = Object.fromEntries(keys.map((key) => [key, { serverRelativeURL: serverRelativeUrl(key, byKey.get(key)!.openapi!.hash) }]));
  const body = goJson({ paths });
  return { status: 200, contentType: "application/json", body, headers: { ETag: `"${kubeContentHash(body)}"` } };
}

/** `/openapi/v3/apis/batch/v1?hash=<HASH>`, query-encoded as Go's url.Values does. */
export function serverRelativeUrl(key: string, hash: string): string {
  return `/openapi/v3/${key}?${new URLSearchParams({ hash }).toString()}`;
}

/**
 * kube-openapi's handler3: a matching `?hash=` is cacheable for ever (`public, immutable`, Expires a year
 * ahead); a stale one redirects (301) to the current URL; without a hash the answer is private, no-cache.
 */
function openApiDocument(context: RouteContext, key: string, url: URL, headers: { accept?: string; ifNoneMatch?: string }): Answer {
  if (context.behaviour.openApiV3Index === "none") return notFound();
  const gv = findByServedPath(context.catalog, key);
  if (gv === undefined || gv.openapi === undefined) return notFound();
  if (context.isUnavailable(gv)) return unavailable(groupVersionString(gv));
  const openapi = gv.openapi;
  if (!acceptsJson(headers.accept)) return { status: 406, contentType: "text/plain; charset=utf-8", body: "" };
  const etag = `"${openapi.hash}"`;
  const cacheHeaders: Record<string, string> = { ETag: etag, Vary: "Accept", "Last-Modified": context.startedAt.toUTCString() };
  const hash = url.searchParams.get("hash");
  if (hash !== null && hash !== "" && context.behaviour.openApiV3Index === "hashed") {
    if (hash !== openapi.hash) {
      const location = serverRelativeUrl(key, openapi.hash);
      return { status: 301, contentType: "text/html; charset=utf-8", body: `<a href="${location}">Moved Permanently</a>.\n\n`, headers: { Location: location } };
    }
    const expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
    Object.assign(cacheHeaders, { "Cache-Control": "public, immutable", Expires: expires });
  }
  if (headers.ifNoneMatch === etag) return { status: 304, contentType: "application/json", body: "", headers: cacheHeaders };
  return { status: 200, contentType: "application/json", body: openapi.body, headers: cacheHeaders };
}

function findByServedPath(catalog: ApiCatalog, key: string): ServedGroupVersion | undefined {
  const segments = key.split("/");
  if (segments[0] === "api" && segments.length === 2) return catalog.byGroupVersion.get(segments[1]!);
  if (segments[0] === "apis" && segments.length === 3) return catalog.byGroupVersion.get(`${segments[1]}/${segments[2]}`);
  return undefined;
}

function json(status: number, value: unknown): Answer {
  return { status, contentType: "application/json", body: goJson(value) };
}

function failure(status: number, reason: string, message: string): Answer {
  return { status, contentType: "application/json", body: statusBody(status, reason, message) };
}

function notFound(): Answer {
  return failure(404, "NotFound", NOT_FOUND);
}

function unavailable(what: string): Answer {
  return failure(503, "ServiceUnavailable", `service unavailable: the API server for ${what} is not answering`);
}
