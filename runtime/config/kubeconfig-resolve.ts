import { readFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "./errors.js";
import { isRecord, mergeKubeconfigDocuments, type MergedKubeconfig, type NamedEntry } from "./kubeconfig-merge.js";
import type { KubeconfigDocument } from "./kubeconfig-files.js";
import { Secret } from "./secret.js";
import type { ClusterConnection, Credentials, ExecCredentialConfig, TlsSettings } from "./types.js";
import { proxyUrlProblem } from "./proxy-env.js";
import { serverBase } from "../server-url.js";

export const EXEC_API_VERSIONS = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"] as const;

/** Where each retired auth-provider's users went instead. */
const AUTH_PROVIDER_REPLACEMENTS: Record<string, string> = {
  gcp: "gke-gcloud-auth-plugin (https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl)",
  azure: "kubelogin (https://azure.github.io/kubelogin/)",
  oidc: "kubelogin (https://github.com/int128/kubelogin)",
};

export interface ResolveKubeconfigOptions {
  /** Context to use instead of `current-context` (like `--context`). */
  context?: string | undefined;
  /** Where `context` came from, as errors name it: `--context`, `connect({ context })` (default: the `context` option). */
  contextFrom?: string | undefined;
  /** Reads certificate and key files; injectable for tests. */
  readFile?: (file: string) => Promise<Buffer>;
}

/** Turns parsed kubeconfig documents (in `KUBECONFIG` order) into a connection for one context. */
export async function resolveKubeconfigDocuments(
  documents: readonly KubeconfigDocument[],
  options: ResolveKubeconfigOptions = {},
): Promise<ClusterConnection> {
  const merged = mergeKubeconfigDocuments(documents);
  const contextName = options.context ?? merged.currentContext?.name;
  if (!contextName) {
    throw new ConfigError(`no current-context is set${knownContexts(merged)}; pass --context or run \`kubectl config use-context NAME\``, {
      file: merged.files.join(path.delimiter),
      field: "current-context",
    });
  }
  const context = merged.contexts.get(contextName);
  if (!context) {
    const from = options.context ? (options.contextFrom ?? "the `context` option") : `current-context in ${merged.currentContext?.file}`;
    throw new ConfigError(`context "${contextName}" (from ${from}) is not defined${knownContexts(merged)}`, {
      file: merged.files.join(path.delimiter),
      field: `contexts[name=${contextName}]`,
    });
  }
  const contextField = (key: string) => stringField(context, "contexts", "context", key);
  const clusterName = contextField("cluster");
  const userName = contextField("user");
  if (!clusterName) throw entryError(context, "contexts", "context.cluster", "names no cluster; add `cluster: NAME`");
  const cluster = merged.clusters.get(clusterName);
  if (!cluster) {
    throw entryError(context, "contexts", "context.cluster", `names cluster "${clusterName}", which no kubeconfig file defines (known: ${[...merged.clusters.keys()].join(", ") || "none"})`);
  }
  const user = userName ? merged.users.get(userName) : undefined;
  if (userName && !user) {
    throw entryError(context, "contexts", "context.user", `names user "${userName}", which no kubeconfig file defines (known: ${[...merged.users.keys()].join(", ") || "none"})`);
  }
  const read = options.readFile ?? ((file: string) => readFile(file));
  const clusterSettings = await resolveCluster(cluster, read);
  const userTls = user ? await resolveUserTls(user, read) : {};
  const credentials: Credentials = user ? resolveCredentials(user) : { type: "none" };
  if (user && credentials.type === "tokenFile") {
    // Like client-go, fail at load time on an unreadable token file rather than on the first request.
    await read(credentials.path).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw entryError(user, "users", "user.tokenFile", `cannot read ${credentials.path} (${code}); fix the path (relative paths resolve against this kubeconfig's folder)`, error);
    });
  }
  const connection: ClusterConnection = {
    server: clusterSettings.server,
    tls: { ...clusterSettings.tls, ...userTls },
    credentials,
    namespace: contextField("namespace") || "default",
    source: `kubeconfig ${context.file}, context "${contextName}"`,
    context: contextName,
    ...(userName && { user: userName }),
  };
  if (clusterSettings.proxyUrl) connection.proxyUrl = clusterSettings.proxyUrl;
  return connection;
}

/** Context names across all documents, first definition wins (what `kubectl config get-contexts` lists). */
export function listContextsInDocuments(documents: readonly KubeconfigDocument[]): { names: string[]; current?: string } {
  const merged = mergeKubeconfigDocuments(documents);
  const result: { names: string[]; current?: string } = { names: [...merged.contexts.keys()] };
  if (merged.currentContext) result.current = merged.currentContext.name;
  return result;
}

async function resolveCluster(
  cluster: NamedEntry,
  read: (file: string) => Promise<Buffer>,
): Promise<{ server: string; tls: TlsSettings; proxyUrl?: string }> {
  const field = (key: string) => stringField(cluster, "clusters", "cluster", key);
  const rawServer = field("server");
  if (!rawServer) throw entryError(cluster, "clusters", "cluster.server", "is missing; set it to the API server URL, e.g. https://127.0.0.1:6443");
  const server = parseServer(rawServer, cluster);
  const insecure = booleanField(cluster, "clusters", "cluster", "insecure-skip-tls-verify");
  const ca = await bytesField(cluster, "clusters", "cluster", "certificate-authority", read);
  if (insecure && ca) {
    throw entryError(cluster, "clusters", "cluster.insecure-skip-tls-verify", "specifying a root certificates file with the insecure flag is not allowed; remove one of them");
  }
  const tls: TlsSettings = { insecureSkipVerify: insecure };
  if (ca) tls.ca = ca;
  const serverName = field("tls-server-name");
  if (serverName) tls.serverName = serverName;
  const result: { server: string; tls: TlsSettings; proxyUrl?: string } = { server, tls };
  const proxyUrl = field("proxy-url");
  if (proxyUrl) {
    const problem = proxyUrlProblem(proxyUrl);
    if (problem !== undefined) throw entryError(cluster, "clusters", "cluster.proxy-url", problem);
    result.proxyUrl = proxyUrl;
  }
  return result;
}

function parseServer(raw: string, cluster: NamedEntry): string {
  // client-go accepts host:port without a scheme and assumes https.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw entryError(cluster, "clusters", "cluster.server", `"${raw}" is not a URL; use e.g. https://127.0.0.1:6443`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw entryError(cluster, "clusters", "cluster.server", `has scheme ${url.protocol}; use https:// (or http:// for kubectl proxy)`);
  }
  return serverBase(withScheme);
}

async function resolveUserTls(user: NamedEntry, read: (file: string) => Promise<Buffer>): Promise<Partial<TlsSettings>> {
  const cert = await bytesField(user, "users", "user", "client-certificate", read);
  const key = await bytesField(user, "users", "user", "client-key", read);
  if (cert && !key) throw entryError(user, "users", "user.client-key", "is missing but client-certificate is set; add client-key or client-key-data");
  if (key && !cert) throw entryError(user, "users", "user.client-certificate", "is missing but client-key is set; add client-certificate or client-certificate-data");
  return cert && key ? { cert, key: new Secret(key) } : {};
}

function resolveCredentials(user: NamedEntry): Credentials {
  const field = (key: string) => stringField(user, "users", "user", key);
  const authProvider = user.value["auth-provider"];
  if (authProvider !== undefined && authProvider !== null) {
    const name = isRecord(authProvider) && typeof authProvider.name === "string" ? authProvider.name : "unknown";
    const replacement = AUTH_PROVIDER_REPLACEMENTS[name] ?? "the exec credential plugin your provider documents";
    throw entryError(user, "users", "user.auth-provider", `auth-provider "${name}" was removed from Kubernetes clients; use an exec plugin instead: ${replacement}`);
  }
  const token = field("token");
  const tokenFile = field("tokenFile");
  const username = field("username");
  const password = field("password");
  const exec = user.value.exec;
  const methods = [
    token || tokenFile ? "token" : undefined,
    username || password ? "basicAuth" : undefined,
    exec !== undefined && exec !== null ? "exec" : undefined,
  ].filter(Boolean);
  if (methods.length > 1) {
    throw entryError(user, "users", "user", `more than one authentication method found (${methods.join(", ")}); only one is allowed`);
  }
  // As in client-go, a token file takes precedence over an inline token: it is the one that rotates.
  if (tokenFile) return { type: "tokenFile", path: path.resolve(path.dirname(user.file), tokenFile) };
  if (token) return { type: "token", token: new Secret(token) };
  if (username || password) {
    if (!username || !password) throw entryError(user, "users", username ? "user.password" : "user.username", "is missing; basic auth needs both username and password");
    return { type: "basic", username, password: new Secret(password) };
  }
  if (exec !== undefined && exec !== null) return { type: "exec", exec: resolveExec(user, exec) };
  return { type: "none" };
}

function resolveExec(user: NamedEntry, exec: unknown): ExecCredentialConfig {
  const at = (key: string) => `user.exec.${key}`;
  if (!isRecord(exec)) throw entryError(user, "users", "user.exec", "must be a mapping with apiVersion and command");
  const apiVersion = exec.apiVersion;
  if (typeof apiVersion !== "string" || !(EXEC_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    throw entryError(user, "users", at("apiVersion"), `must be one of ${EXEC_API_VERSIONS.join(", ")} (got ${JSON.stringify(apiVersion ?? null)})`);
  }
  const command = exec.command;
  if (typeof command !== "string" || command === "") throw entryError(user, "users", at("command"), "is missing; name the credential plugin to run");
  const args = exec.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) throw entryError(user, "users", at("args"), "must be a list of strings");
  const env = exec.env ?? [];
  if (!Array.isArray(env) || !env.every((e) => isRecord(e) && typeof e.name === "string" && typeof e.value === "string")) {
    throw entryError(user, "users", at("env"), "must be a list of {name, value} strings");
  }
  let interactiveMode = exec.interactiveMode;
  // client-go defaults v1beta1 to IfAvailable and requires v1 to say.
  if ((interactiveMode === undefined || interactiveMode === "") && apiVersion.endsWith("/v1beta1")) interactiveMode = "IfAvailable";
  if (interactiveMode === undefined || interactiveMode === "") {
    throw entryError(user, "users", at("interactiveMode"), `must be specified for ${apiVersion}: Never, IfAvailable or Always`);
  }
  if (!["Never", "IfAvailable", "Always"].includes(String(interactiveMode))) {
    throw entryError(user, "users", at("interactiveMode"), "must be Never, IfAvailable or Always");
  }
  const baseDir = path.dirname(user.file);
  const result: ExecCredentialConfig = {
    apiVersion,
    // A command with a path separator is relative to the kubeconfig; a bare name is looked up on PATH.
    command: command.includes("/") || command.includes(path.sep) ? path.resolve(baseDir, command) : command,
    args: args as string[],
    env: (env as Array<{ name: string; value: string }>).map(({ name, value }) => ({ name, value })),
    provideClusterInfo: exec.provideClusterInfo === true,
    interactiveMode: String(interactiveMode),
    baseDir,
  };
  if (typeof exec.installHint === "string" && exec.installHint) result.installHint = exec.installHint;
  return result;
}

function stringField(entry: NamedEntry, section: string, kind: string, key: string): string | undefined {
  const value = entry.value[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw entryError(entry, section, `${kind}.${key}`, "must be a string");
  return value;
}

function booleanField(entry: NamedEntry, section: string, kind: string, key: string): boolean {
  const value = entry.value[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw entryError(entry, section, `${kind}.${key}`, "must be true or false");
  return value;
}

/** `<key>-data` (base64, wins like in client-go) or `<key>` (a file relative to the kubeconfig). */
async function bytesField(
  entry: NamedEntry,
  section: string,
  kind: string,
  key: string,
  read: (file: string) => Promise<Buffer>,
): Promise<Buffer | undefined> {
  const data = stringField(entry, section, kind, `${key}-data`);
  if (data) {
    const compact = data.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
      throw entryError(entry, section, `${kind}.${key}-data`, "is not valid base64; paste the base64 of the PEM file (e.g. `base64 -w0 file.pem`)");
    }
    return Buffer.from(compact, "base64");
  }
  const file = stringField(entry, section, kind, key);
  if (!file) return undefined;
  const resolved = path.resolve(path.dirname(entry.file), file);
  try {
    return await read(resolved);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw entryError(entry, section, `${kind}.${key}`, `cannot read ${resolved} (${code}); fix the path (relative paths resolve against this kubeconfig's folder)`, error);
  }
}

function entryError(entry: NamedEntry, section: string, field: string, message: string, cause?: unknown): ConfigError {
  return new ConfigError(message, { file: entry.file, field: `${section}[name=${entry.name}].${field}`, cause });
}

function knownContexts(merged: MergedKubeconfig): string {
  const names = [...merged.contexts.keys()];
  return names.length ? `; known contexts: ${names.join(", ")}` : "; no contexts are defined";
}
