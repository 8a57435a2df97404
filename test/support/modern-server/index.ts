import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { createLocalPki } from "../../../local-cluster/pki.js";
import { buildApiCatalog, type ApiCatalog, type DiscoverySource } from "./catalog.js";
import { sendStatus } from "./responses.js";
import { answer, type Answer, type RouteContext } from "./routes.js";
import { groupVersionString, type ServedGroupVersion } from "./served-api.js";
import { isKubernetesVersion, servedBehaviour, type DiscoveryFeatureGates, type KubernetesVersion, type ServedBehaviour } from "./versions.js";

export { KUBERNETES_VERSIONS, servedBehaviour, type KubernetesVersion, type DiscoveryFeatureGates, type ServedBehaviour } from "./versions.js";
export { serverRelativeUrl } from "./routes.js";
export { kubeContentHash, goJson } from "./go-json.js";
export type { ApiCatalog, DiscoverySource } from "./catalog.js";
export type { ServedGroupVersion, ServedResource } from "./served-api.js";

export interface ModernTestServerFaults {
  /** Groups (`metrics.k8s.io`) or group/versions (`batch/v1`, `v1`) whose discovery and documents answer 503. */
  unavailableGroups?: string[];
  /** Groups or group/versions whose aggregated discovery entries say `freshness: Stale`. */
  staleGroups?: string[];
  /** URL path (no query) → milliseconds to wait before answering. */
  slowPaths?: Record<string, number>;
  /** URL paths whose answer is cut off: headers and half the body, then the socket is destroyed. */
  dropConnectionPaths?: string[];
}

export interface ModernTestServerOptions {
  version: KubernetesVersion;
  /** CRD YAML files (from ../shared/k8s/crds) whose served versions become groups. */
  crds?: string[];
  faults?: ModernTestServerFaults;
  featureGates?: DiscoveryFeatureGates;
  /**
   * `upstream` (version 1.31 only): the named groups' discovery is the Kubernetes project's own recorded
   * aggregated discovery (../shared/k8s/discovery-upstream), `/apis` served byte for byte; core and the
   * OpenAPI documents come from openapi-v3/1.31. Default `derived`: discovery derived from the documents.
   */
  discovery?: DiscoverySource;
}

export interface ModernTestServer {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  /** The CA that signed the serving certificate (for 127.0.0.1 and localhost). */
  caPem: Buffer;
  /** The bearer token every request must carry. */
  token: string;
  /** Requests per URL path (query left out), authenticated or not. */
  requestCounts: Map<string, number>;
  resetCounts(): void;
  /** What this server serves, for tests that compute expectations independently of HTTP. */
  catalog: ApiCatalog;
  behaviour: ServedBehaviour;
  close(): Promise<void>;
}

/**
 * An HTTPS server answering discovery, `/version` and OpenAPI as a kube-apiserver of `version` does with
 * `--anonymous-auth=false` (no token: 401). See versions.ts for what each version serves and routes.ts
 * for how.
 *
 * Where it knowingly differs from a real server (shared data cannot say more):
 * - built-in resources have no short names or categories (except with upstream discovery), and no
 *   `storageVersionHash` (not in OpenAPI);
 * - with upstream discovery, the recording (a commit before 1.31 shipped) lists three resource.k8s.io/v1alpha3
 *   resources (resourceclasses, resourceclaimparameters, resourceclassparameters) that the 1.31 document has
 *   no schema for, and lacks deviceclasses, coordination.k8s.io/v1alpha1 and storage.k8s.io/v1beta1, which
 *   1.31 has: discovery is served as recorded, so those three have no schema and the other three are not served;
 * - `/openapi/v2` answers 404 and `/openapi/v3` lists group/versions only (no `version`, `apis`, ... entries);
 * - OpenAPI documents are only JSON (a protobuf-only Accept gets 406); keys keep the shared files' order;
 * - 1.23 serves `/openapi/v3` as if started with `--feature-gates=OpenAPIV3=true` (see versions.ts);
 * - an unavailable group stays `Current` in aggregated discovery (as after the aggregator's last good
 *   fetch) unless also listed in `staleGroups`; stale groups' legacy documents still answer.
 */
export async function startModernTestServer(options: ModernTestServerOptions): Promise<ModernTestServer> {
  if (!isKubernetesVersion(options.version)) {
    throw new Error(`version ${JSON.stringify(options.version)} has no documents in ../shared/k8s/openapi-v3; use 1.23 to 1.35`);
  }
  const behaviour = servedBehaviour(options.version, options.featureGates);
  const catalog = await buildApiCatalog(options.version, options.crds ?? [], options.discovery ?? "derived");
  const faults = options.faults ?? {};
  assertNamesServed(catalog, [...(faults.unavailableGroups ?? []), ...(faults.staleGroups ?? [])]);

  const pkiDir = await mkdtemp(join(tmpdir(), "kubetyped-modern-server-"));
  try {
    const pki = await createLocalPki(pkiDir);
    const [caPem, cert, key] = await Promise.all([readFile(pki.caFile), readFile(pki.serving.certFile), readFile(pki.serving.keyFile)]);
    const token = randomBytes(24).toString("hex");
    const requestCounts = new Map<string, number>();
    const sockets = new Set<Socket>();
    const context: Omit<RouteContext, "serverAddress"> = {
      catalog,
      behaviour,
      startedAt: new Date(),
      isUnavailable: matcher(faults.unavailableGroups),
      freshnessOf: (gv) => (matcher(faults.staleGroups)(gv) ? "Stale" : "Current"),
    };
    let serverAddress = "";

    const server: Server = createServer({ cert, key }, (request, response) => {
      const url = new URL(request.url ?? "/", "https://placeholder");
      requestCounts.set(url.pathname, (requestCounts.get(url.pathname) ?? 0) + 1);
      if (request.headers.authorization !== `Bearer ${token}`) {
        sendStatus(response, 401, "Unauthorized", "Unauthorized");
        return;
      }
      if (request.method !== "GET" && request.method !== "HEAD") {
        sendStatus(response, 405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${request.method})`);
        return;
      }
      const result = answer({ ...context, serverAddress }, url, {
        ...(request.headers.accept === undefined ? {} : { accept: request.headers.accept }),
        ...(request.headers["if-none-match"] === undefined ? {} : { ifNoneMatch: request.headers["if-none-match"] }),
      });
      void deliver(result, url.pathname, response, faults);
    });
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    serverAddress = `127.0.0.1:${port}`;

    return {
      url: `https://127.0.0.1:${port}`,
      caPem,
      token,
      requestCounts,
      resetCounts: () => requestCounts.clear(),
      catalog,
      behaviour,
      close: async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rm(pkiDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(pkiDir, { recursive: true, force: true });
    throw error;
  }
}

async function deliver(result: Answer, path: string, response: import("node:http").ServerResponse, faults: ModernTestServerFaults): Promise<void> {
  const wait = faults.slowPaths?.[path];
  if (wait !== undefined) await delay(wait);
  if (response.destroyed) return;
  const headers = {
    "Cache-Control": "no-cache, private",
    "Content-Type": result.contentType,
    "Content-Length": String(Buffer.byteLength(result.body)),
    ...result.headers,
  };
  if (faults.dropConnectionPaths?.includes(path)) {
    // Promise the whole body, send half, then cut the connection: the client sees a truncated answer.
    response.writeHead(result.status, headers);
    response.write(result.body.slice(0, Math.floor(result.body.length / 2)), () => response.socket?.destroy());
    return;
  }
  response.writeHead(result.status, headers);
  response.end(response.req.method === "HEAD" ? undefined : result.body);
}

/** Whether a served group/version is named by a fault list entry (`batch` or `batch/v1`; `v1` for core). */
function matcher(names: string[] | undefined): (gv: ServedGroupVersion) => boolean {
  const set = new Set(names ?? []);
  return (gv) => set.has(groupVersionString(gv)) || (gv.group !== "" && set.has(gv.group));
}

function assertNamesServed(catalog: ApiCatalog, names: string[]): void {
  const known = new Set([...catalog.byGroupVersion.keys(), ...catalog.groups.map((group) => group.name)]);
  for (const name of names) {
    if (!known.has(name)) throw new Error(`faults name ${JSON.stringify(name)}, which this server does not serve; use a group (batch) or group/version (batch/v1, v1)`);
  }
}
