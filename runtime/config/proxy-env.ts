// The proxy kubectl would use for a server, from HTTPS_PROXY, HTTP_PROXY and NO_PROXY, by Go's net/http rules.
import { BlockList, isIP } from "node:net";
import { ConfigError } from "./errors.js";
import type { ClusterConnection } from "./types.js";

/**
 * The connection with the environment's proxy for its server, unless it has one already (a kubeconfig's
 * `proxy-url` wins, as in client-go).
 */
export function withProxyFromEnvironment(connection: ClusterConnection, env: NodeJS.ProcessEnv): ClusterConnection {
  if (connection.proxyUrl !== undefined) return connection;
  const proxyUrl = proxyFromEnvironment(connection.server, env);
  return proxyUrl === undefined ? connection : { ...connection, proxyUrl };
}

/**
 * What Go's `http.ProxyFromEnvironment` (so kubectl and client-go) picks for `server`: `HTTPS_PROXY` for https
 * servers, `HTTP_PROXY` for http ones (upper case first, then lower case); none for `localhost` and loopback
 * addresses, nor for hosts `NO_PROXY` names.
 */
export function proxyFromEnvironment(server: string, env: NodeJS.ProcessEnv): string | undefined {
  const url = new URL(server);
  const https = url.protocol === "https:";
  const variable = https ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"];
  const found = firstSet(env, variable);
  // Go ignores HTTP_PROXY under CGI, where a request's `Proxy:` header would set it (httpoxy).
  if (found === undefined || (!https && env.REQUEST_METHOD)) return undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const port = url.port || (https ? "443" : "80");
  if (!usesProxy(host, port, firstSet(env, ["NO_PROXY", "no_proxy"])?.value ?? "")) return undefined;
  return proxyUrlOf(found.name, found.value);
}

function firstSet(env: NodeJS.ProcessEnv, names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** Go's `parseProxy`: a value without a scheme is an http proxy. */
function proxyUrlOf(name: string, value: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  const problem = proxyUrlProblem(withScheme);
  if (problem !== undefined) throw new ConfigError(`environment variable ${name} ${problem}${problem.startsWith("is not") ? ", or unset it" : ""}`);
  return withScheme;
}

/** What is wrong with a proxy URL (from the environment or a kubeconfig's `proxy-url`), if anything. */
export function proxyUrlProblem(value: string): string | undefined {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    return "is not a URL; use e.g. http://proxy.example:3128";
  }
  return ["http:", "https:", "socks5:"].includes(protocol) ? undefined : `has scheme ${protocol}; only http, https and socks5 proxies are supported`;
}

/**
 * `NO_PROXY`: comma-separated IP addresses, CIDR ranges, and domain names (each IP or domain optionally with
 * `:port`); `example.com` matches it and its subdomains, `.example.com` (or `*.example.com`) only subdomains,
 * and `*` matches everything.
 */
export function usesProxy(host: string, port: string, noProxy: string): boolean {
  if (host === "localhost" || isLoopback(host)) return false;
  for (const raw of noProxy.split(",")) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return false;
    if (matchesEntry(entry, host, port)) return false;
  }
  return true;
}

function matchesEntry(entry: string, host: string, port: string): boolean {
  const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
  if (cidr !== null) return isIP(cidr[1]!) !== 0 && isIP(host) !== 0 && inRange(host, cidr[1]!, Number(cidr[2]));
  const { name, port: wanted } = splitHostPort(entry);
  if (name === "" || (wanted !== undefined && wanted !== port)) return false;
  if (isIP(name) !== 0) return isIP(host) !== 0 && sameAddress(name, host);
  const subdomainsOnly = name.startsWith(".") || name.startsWith("*.");
  const domain = name.replace(/^\*?\./, "");
  return host.endsWith(`.${domain}`) || (!subdomainsOnly && host === domain);
}

/** `host:port`, `[v6]:port`, or a name or address without a port. */
function splitHostPort(entry: string): { name: string; port?: string } {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) return { name: bracketed[1]!, ...(bracketed[2] === undefined ? {} : { port: bracketed[2] }) };
  if (isIP(entry) === 6) return { name: entry };
  const withPort = /^(.*):(\d+)$/.exec(entry);
  return withPort === null ? { name: entry } : { name: withPort[1]!, port: withPort[2]! };
}

function isLoopback(host: string): boolean {
  const family = isIP(host);
  if (family === 4) return host.startsWith("127.");
  return family === 6 && sameAddress(host, "::1");
}

function sameAddress(a: string, b: string): boolean {
  const list = new BlockList();
  list.addAddress(a, isIP(a) === 6 ? "ipv6" : "ipv4");
  return list.check(b, isIP(b) === 6 ? "ipv6" : "ipv4");
}

function inRange(host: string, network: string, prefix: number): boolean {
  const family = isIP(network) === 6 ? "ipv6" : "ipv4";
  if (prefix > (family === "ipv6" ? 128 : 32)) return false;
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return list.check(host, isIP(host) === 6 ? "ipv6" : "ipv4");
}
