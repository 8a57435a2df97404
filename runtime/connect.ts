// Where users start: a KubeClient for the cluster kubectl would pick (kubeconfig or in-cluster), or for a resolved connection.
import { resolveConnection, type ResolveConnectionOptions } from "./config/index.js";
import type { ClusterConnection } from "./config/types.js";
import { createTransport, type WarningHandler } from "./transport/index.js";
import { KubeClient } from "./kube-client.js";
import type { ValidateMode } from "./validate/attach.js";

/** Where to connect and how requests behave; every field optional. */
export interface ConnectOptions extends Omit<ResolveConnectionOptions, "env" | "contextFrom"> {
  /** Environment to read `KUBECONFIG` / `KUBERNETES_SERVICE_HOST` from (default `process.env`). */
  env?: NodeJS.ProcessEnv | undefined;
  /** Default namespace of namespaced calls, instead of the context's (or in-cluster) one. */
  namespace?: string | undefined;
  /** Per-request timeout in milliseconds (watches and streams are not cut by it). */
  timeoutMs?: number | undefined;
  /** Retries of 429/503 answers and idempotent requests that failed on the network. */
  maxRetries?: number | undefined;
  userAgent?: string | undefined;
  /**
   * The API server's `Warning` headers (deprecated APIs, unknown fields under `fieldValidation=Warn`).
   * Default: each distinct warning printed once per client on stderr as `Warning: <text>`, as kubectl does (the last 1,000 texts are remembered).
   * A handler receives every warning with the request it answered; `false` ignores them.
   */
  warnings?: WarningHandler | false | undefined;
  /** `"before-send"`: create, update and apply are checked against the generated schema first; a failure is the `StatusError` (`isInvalid`) a 422 would be. */
  validate?: ValidateMode | undefined;
}

/** A client for an already resolved connection (e.g. from `loadKubeconfig`). */
export function clientFromConnection(connection: ClusterConnection, options: Omit<ConnectOptions, keyof ResolveConnectionOptions> = {}): KubeClient {
  const { timeoutMs, maxRetries, userAgent, warnings } = options;
  const transport = createTransport(connection, { timeoutMs, maxRetries, userAgent, warnings });
  return new KubeClient(transport, { namespace: options.namespace ?? connection.namespace, validate: options.validate });
}

/**
 * Connects to a cluster the way kubectl would: `kubeconfig`/`context` when given, else `KUBECONFIG` or
 * `~/.kube/config`, else in-cluster. `const kube = await connect(); kube.resource(jobs).list()`.
 */
export async function connect(options: ConnectOptions = {}): Promise<KubeClient> {
  const { namespace, timeoutMs, maxRetries, userAgent, warnings, validate, ...where } = options;
  const connection = await resolveConnection({ ...where, contextFrom: "connect({ context })" });
  return clientFromConnection(connection, { namespace, validate, timeoutMs, maxRetries, userAgent, warnings });
}
