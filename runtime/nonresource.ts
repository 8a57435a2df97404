import type { KubeClient } from "./client/kube-client.js";
import { validatePathSegment } from "./request/validation.js";

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
  verbose?: boolean;
  /** Checks to skip, e.g. `etcd`. */
  exclude?: string[];
  signal?: AbortSignal;
}

/** Non-resource endpoints of the API server; reach them as `kube.nonResource`. */
export interface NonResourceApi {
  version(options?: { signal?: AbortSignal }): Promise<VersionInfo>;
  /** Text of `/healthz` (`ok`, or the list of checks with `verbose`); a failing check throws a `StatusError`. */
  healthz(options?: HealthOptions): Promise<string>;
  readyz(options?: HealthOptions): Promise<string>;
  livez(options?: HealthOptions): Promise<string>;
  /** Prometheus text of `/metrics`. */
  metrics(options?: { signal?: AbortSignal }): Promise<string>;
  /** Text of `/logs/<path>` (a directory listing or a file from the server's log directory). */
  logs(path?: string, options?: { signal?: AbortSignal }): Promise<string>;
  apiVersions(options?: { signal?: AbortSignal }): Promise<APIVersions>;
  apiGroups(options?: { signal?: AbortSignal }): Promise<APIGroupList>;
}

function signalOf(options: { signal?: AbortSignal } | undefined): { signal?: AbortSignal } {
  return options?.signal ? { signal: options.signal } : {};
}

/** `/logs/<path>`: each segment validated so the path stays under `/logs/`. */
export function buildLogsPath(path = ""): string {
  const segments = path.split("/").filter((segment) => segment !== "");
  const encoded = segments.map((segment) => encodeURIComponent(validatePathSegment("logs path", segment)));
  return `/logs/${encoded.join("/")}`;
}

/** Endpoints every kube-apiserver serves outside of resources, sent through `kube`. */
export function createNonResourceApi(kube: KubeClient): NonResourceApi {
  const health = (endpoint: string) => (options?: HealthOptions) =>
    kube.requestText({
      method: "GET",
      path: `/${endpoint}`,
      query: { ...(options?.verbose && { verbose: true }), ...(options?.exclude?.length && { exclude: options.exclude }) },
      ...signalOf(options),
    });
  return Object.freeze({
    version: (options) => kube.requestJson<VersionInfo>({ method: "GET", path: "/version", ...signalOf(options) }),
    healthz: health("healthz"),
    readyz: health("readyz"),
    livez: health("livez"),
    metrics: (options) => kube.requestText({ method: "GET", path: "/metrics", accept: "text/plain", ...signalOf(options) }),
    logs: (path = "", options) => kube.requestText({ method: "GET", path: buildLogsPath(path), ...signalOf(options) }),
    apiVersions: (options) => kube.requestJson<APIVersions>({ method: "GET", path: "/api", ...signalOf(options) }),
    apiGroups: (options) => kube.requestJson<APIGroupList>({ method: "GET", path: "/apis", ...signalOf(options) }),
  } satisfies NonResourceApi);
}
