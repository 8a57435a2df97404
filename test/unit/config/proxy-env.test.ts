import { expect, it } from "vitest";
import { ConfigError } from "../../../runtime/config/errors.js";
import { proxyFromEnvironment, usesProxy, withProxyFromEnvironment } from "../../../runtime/config/proxy-env.js";
import type { ClusterConnection } from "../../../runtime/config/types.js";

const PROXY = "http://proxy.corp:3128";

it("takes HTTPS_PROXY for https servers and HTTP_PROXY for http ones, upper case before lower case, as Go does", () => {
  expect(proxyFromEnvironment("https://api.example.com:6443", { HTTPS_PROXY: PROXY })).toBe(PROXY);
  expect(proxyFromEnvironment("https://api.example.com:6443", { https_proxy: PROXY })).toBe(PROXY);
  expect(proxyFromEnvironment("https://api.example.com:6443", { HTTPS_PROXY: PROXY, https_proxy: "http://other:1" })).toBe(PROXY);
  expect(proxyFromEnvironment("https://api.example.com:6443", { HTTP_PROXY: PROXY })).toBeUndefined();
  expect(proxyFromEnvironment("http://api.example.com:8080", { HTTP_PROXY: PROXY, HTTPS_PROXY: "http://other:1" })).toBe(PROXY);
  expect(proxyFromEnvironment("http://api.example.com:8080", { http_proxy: PROXY })).toBe(PROXY);
  // Under CGI a request header could set HTTP_PROXY (httpoxy): Go ignores it there.
  expect(proxyFromEnvironment("http://api.example.com:8080", { HTTP_PROXY: PROXY, REQUEST_METHOD: "GET" })).toBeUndefined();
  // No scheme: an http proxy.
  expect(proxyFromEnvironment("https://api.example.com", { HTTPS_PROXY: "proxy.corp:3128" })).toBe("http://proxy.corp:3128");
  expect(proxyFromEnvironment("https://api.example.com", {})).toBeUndefined();
});

it("never proxies localhost or loopback addresses", () => {
  for (const server of ["https://localhost:6443", "https://127.0.0.1:6443", "https://127.9.8.7", "https://[::1]:6443"]) {
    expect(proxyFromEnvironment(server, { HTTPS_PROXY: PROXY }), server).toBeUndefined();
  }
});

it("bypasses hosts NO_PROXY names: CIDR ranges, addresses, domains and their subdomains, leading dots, ports, *", () => {
  const cases: Array<[host: string, port: string, noProxy: string, proxied: boolean]> = [
    ["10.1.2.3", "443", "10.0.0.0/8", false],
    ["11.1.2.3", "443", "10.0.0.0/8", true],
    ["192.168.1.10", "6443", "192.168.1.0/24,10.0.0.0/8", false],
    ["2001:db8::5", "443", "2001:db8::/32", false],
    ["2001:db9::5", "443", "2001:db8::/32", true],
    ["10.0.0.1", "443", "10.0.0.1", false],
    ["10.0.0.1", "6443", "10.0.0.1:443", true],
    ["10.0.0.1", "443", "10.0.0.1:443", false],
    ["api.example.com", "443", "example.com", false],
    ["example.com", "443", "example.com", false],
    ["badexample.com", "443", "example.com", true],
    ["example.com", "443", ".example.com", true],
    ["api.example.com", "443", ".example.com", false],
    ["api.example.com", "443", "*.example.com", false],
    ["api.example.com", "6443", "example.com:443", true],
    ["api.example.com", "443", "example.com:443", false],
    ["api.example.com", "443", " Other.org , EXAMPLE.COM ", false],
    ["api.example.com", "443", "*", false],
    ["api.example.com", "443", "", true],
    ["api.example.com", "443", "10.0.0.0/8", true],
  ];
  for (const [host, port, noProxy, proxied] of cases) expect(usesProxy(host, port, noProxy), `${host}:${port} with NO_PROXY=${noProxy}`).toBe(proxied);
  expect(proxyFromEnvironment("https://kube.svc.corp:6443", { HTTPS_PROXY: PROXY, no_proxy: ".corp" })).toBeUndefined();
  expect(proxyFromEnvironment("https://10.96.0.1:443", { HTTPS_PROXY: PROXY, NO_PROXY: "10.96.0.0/12" })).toBeUndefined();
});

it("keeps a kubeconfig's proxy-url over the environment, and names the variable that is not a proxy URL", () => {
  const connection: ClusterConnection = { server: "https://api.example.com", tls: { insecureSkipVerify: false }, credentials: { type: "none" }, namespace: "default", source: "test" };
  expect(withProxyFromEnvironment(connection, { HTTPS_PROXY: PROXY }).proxyUrl).toBe(PROXY);
  expect(withProxyFromEnvironment({ ...connection, proxyUrl: "socks5://own:1080" }, { HTTPS_PROXY: PROXY }).proxyUrl).toBe("socks5://own:1080");
  expect(() => proxyFromEnvironment("https://api.example.com", { HTTPS_PROXY: "ftp://proxy:21" })).toThrow(
    new ConfigError("environment variable HTTPS_PROXY has scheme ftp:; only http, https and socks5 proxies are supported"),
  );
  expect(() => proxyFromEnvironment("https://api.example.com", { https_proxy: "http://[bad" })).toThrow(/environment variable https_proxy is not a URL/);
});
