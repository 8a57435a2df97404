// The endpoints every kube-apiserver serves outside of resources: version, health, metrics, logs, discovery.
import { buildRawRequest } from "../request/raw.js";
import { validatePathSegment } from "../request/validation.js";
import type { RestClient } from "../rest/types.js";

/** `/version`: the server's build. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** `/api`: the core group's versions. */
export interface APIVersions {
  kind: "APIVersions";
  versions: string[];
  serverAddressByClientCIDRs?: Array<{ clientCIDR: string; serverAddress: string }>;
}

/** `/apis`: every group with its versions. */
export interface APIGroupList {
  kind: "APIGroupList";
  apiVersion?: string;
  groups: Array<{
    name: string;
    versions: Array<{ groupVersion: string; version: string }>;
    preferredVersion?: { groupVersion: string; version: string };
  }>;
}

/** Options of `/healthz`, `/readyz`, `/livez`. */
export interface HealthOptions {
  /** List every check (`[+]ping ok` ...) instead of a bare `ok`. */
  verbose?: boolean | undefined;
  /** Checks to skip, e.g. `etcd`. */
  exclude?: string[] | undefined;
  signal?: AbortSignal | undefined;
}

/** Non-resource endpoints of the API server; reach them as `kube.nonResource`. */
export interface NonResourceApi {
  version(options?: { signal?: AbortSignal | undefined }): Promise<VersionInfo>;
  /** Text of `/healthz` (`ok`, or the list of checks with `verbose`); a failing check throws a `StatusError`. */
  healthz(options?: HealthOptions): Promise<string>;
  readyz(options?: HealthOptions): Promise<string>;
  livez(options?: HealthOptions): Promise<string>;
  /** Prometheus text of `/metrics`. */
  metrics(options?: { signal?: AbortSignal | undefined }): Promise<string>;
  /** Text of `/logs/<path>` (a directory listing or a file from the server's log directory). */
  logs(path?: string, options?: { signal?: AbortSignal | undefined }): Promise<string>;
  apiVersions(options?: { signal?: AbortSignal | undefined }): Promise<APIVersions>;
  apiGroups(options?: { signal?: AbortSignal | undefined }): Promise<APIGroupList>;
}

/** A GET of `path`; `accept` defaults by what is read (JSON or text). */
const get = (path: string, answer: "json" | "text", query?: Record<string, string | boolean | string[]>, accept?: string) =>
  buildRawRequest({ method: "GET", path, query, accept }, answer);

/** `/logs/<path>`: each segment validated so the path stays under `/logs/`. */
export function buildLogsPath(path = ""): string {
  const segments = path.split("/").filter((segment) => segment !== "");
  const encoded = segments.map((segment) => encodeURIComponent(validatePathSegment("logs path", segment)));
  return `/logs/${encoded.join("/")}`;
}

/** Endpoints every kube-apiserver serves outside of resources, sent through `rest`; bad arguments reject, never throw. */
export function createNonResourceApi(rest: RestClient): NonResourceApi {
  const health = (endpoint: string) => async (options?: HealthOptions) =>
    rest.text(get(`/${endpoint}`, "text", { ...(options?.verbose && { verbose: true }), ...(options?.exclude?.length && { exclude: options.exclude }) }), options);
  return Object.freeze({
    version: async (options) => rest.json<VersionInfo>(get("/version", "json"), options),
    healthz: health("healthz"),
    readyz: health("readyz"),
    livez: health("livez"),
    metrics: async (options) => rest.text(get("/metrics", "text", undefined, "text/plain"), options),
    logs: async (path = "", options) => rest.text(get(buildLogsPath(path), "text"), options),
    apiVersions: async (options) => rest.json<APIVersions>(get("/api", "json"), options),
    apiGroups: async (options) => rest.json<APIGroupList>(get("/apis", "json"), options),
  } satisfies NonResourceApi);
}
