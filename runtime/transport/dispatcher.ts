import * as undici from "undici";
import type { Dispatcher } from "undici";
import type { ClusterConnection } from "../config/types.js";
import type { ClientCertificate } from "../auth/provider.js";
import { MAX_RESPONSE_HEADER_BYTES, NetworkError, redactUrl } from "./errors.js";
import { createFetchDispatcher, undiciAgentWorks } from "./fetch-dispatcher.js";
import { tlsConnectOptions } from "./tls-options.js";

const KEEP_ALIVE_MS = 30_000;

const UNDICI_CONNECT_TIMEOUT_MS = 10_000;

/**
 * One keep-alive connection pool for a cluster with its TLS settings, through `proxy-url` when set.
 * `connectTimeoutMs` (the transport's timeout) bounds connect + TLS handshake, so a connect that a timed-out
 * request left behind cannot outlive it by undici's 10 s default (and hold up `close()`).
 */
export function createDispatcher(connection: ClusterConnection, pluginCertificate?: ClientCertificate, options: { connectTimeoutMs?: number } = {}): Dispatcher {
  const connectTimeoutMs = options.connectTimeoutMs && Math.min(options.connectTimeoutMs, UNDICI_CONNECT_TIMEOUT_MS);
  const tls = { ...tlsConnectOptions(connection.tls, pluginCertificate), ...(connectTimeoutMs ? { timeout: connectTimeoutMs } : {}) };
  const pool = { keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: 10 * 60_000, maxHeaderSize: MAX_RESPONSE_HEADER_BYTES };
  const proxyUrl = connection.proxyUrl;
  if (!undiciAgentWorks(undici.Agent)) return fetchDispatcher(connection, tls);
  if (!proxyUrl) return new undici.Agent({ ...pool, connect: tls });
  const protocol = new URL(proxyUrl).protocol;
  if (protocol === "http:" || protocol === "https:") {
    return new undici.ProxyAgent({ ...pool, uri: proxyUrl, requestTls: tls });
  }
  if (protocol === "socks5:") {
    // Socks5ProxyAgent arrived in a late undici 7 minor; its target TLS options are read from `requestTls`.
    const Socks5 = (undici as unknown as { Socks5ProxyAgent?: new (url: string, options: object) => Dispatcher }).Socks5ProxyAgent;
    if (!Socks5) {
      throw new NetworkError(`socks5 proxy ${redactUrl(proxyUrl)} needs a newer undici (with Socks5ProxyAgent); upgrade undici or use an http proxy`, {
        server: connection.server,
      });
    }
    return new Socks5(proxyUrl, { ...pool, requestTls: tls });
  }
  throw new NetworkError(`proxy-url ${redactUrl(proxyUrl)} has unsupported scheme ${protocol}; use http, https or socks5`, { server: connection.server });
}

/** Where undici's Agent is a stand-in (Bun): the platform's fetch, which takes http(s) proxies but not socks5. */
function fetchDispatcher(connection: ClusterConnection, tls: ReturnType<typeof tlsConnectOptions>): Dispatcher {
  const proxyUrl = connection.proxyUrl;
  if (proxyUrl !== undefined && !/^https?:/.test(new URL(proxyUrl).protocol)) {
    throw new NetworkError(`proxy ${redactUrl(proxyUrl)}: this runtime's fetch takes only http and https proxies; use one, or run on Node`, { server: connection.server });
  }
  return createFetchDispatcher(tls, proxyUrl);
}
